import { prepared } from '../../db/statements';
import type { LedgerEvent, Projector } from '../../ledger/types';
import type { ItemStatus } from '../items/items.enums';
import { columnValues, type EffectType } from './custody.effects';
import { ITEM_EVENT_TYPES, itemEventTypeOf, ledgerType, nextStatus } from './state-machine';

/**
 * Keeps the custody columns of `items` (status, location, custodian, holder, due time, seal,
 * condition, latest valuation, last_seq) in step with the item_* custody and disposition events.
 * The `items` table itself belongs to the items projector, which inserts the row.
 * Everything it writes comes from the event and the row's state before it, so a replay in seq
 * order rebuilds the same row.
 */
export const custodyProjector: Projector = {
  name: 'custody',
  tables: [],
  types: ITEM_EVENT_TYPES.map(ledgerType),
  apply(db, event) {
    const type = itemEventTypeOf(event.type);
    if (!type) return;
    const row = prepared(db, 'SELECT status FROM items WHERE evidence_no = ?').get(event.entityId) as
      | { status: ItemStatus }
      | undefined;
    if (!row) return;
    const set: Record<string, unknown> = { ...changesOf(event, type) };
    // A recorded event was allowed when it was recorded; should the table ever stop allowing it,
    // the stored status stays rather than the rebuild failing.
    set.status = nextStatus(row.status, type) ?? row.status;
    set.last_seq = event.seq;
    const columns = Object.keys(set).sort();
    prepared(
      db,
      `UPDATE items SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE evidence_no = @evidence_no`,
    ).run({ ...set, evidence_no: event.entityId });
  },
};

function changesOf(event: LedgerEvent, type: NonNullable<ReturnType<typeof itemEventTypeOf>>) {
  if (type !== 'correction') return columnValues(type, event.data, event.actor);
  const d = event.data as {
    correctsType?: string;
    fields?: Record<string, unknown>;
    updatesCurrent?: boolean;
  };
  const corrected: EffectType | null =
    d.correctsType === 'item_registered' ? 'registered' : itemEventTypeOf(d.correctsType ?? '');
  if (!d.updatesCurrent || !corrected || !d.fields) return {};
  return columnValues(corrected, d.fields, event.actor, new Set(Object.keys(d.fields)));
}
