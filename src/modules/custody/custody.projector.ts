import { prepared } from '../../db/statements';
import type { LedgerEvent, Projector } from '../../ledger/types';
import { ITEM_STATUSES } from '../items/items.enums';
import { eventColumnValues } from './custody.effects';
import {
  ITEM_EVENT_TYPES,
  type ItemEventType,
  itemEventTypeOf,
  ledgerType,
  nextStatus,
} from './state-machine';

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
    const set = custodyColumns(event, type);
    const columns = Object.keys(set).sort();
    const assignments = columns.map((c) => `${c} = @${c}`);
    const status = statusAfter(type);
    if (status) assignments.push(`status = ${status}`);
    prepared(db, `UPDATE items SET ${assignments.join(', ')} WHERE evidence_no = @evidence_no`).run({
      ...set,
      evidence_no: event.entityId,
    });
  },
};

/** The custody columns an item event sets, except the status: what it changes, and last_seq. */
export function custodyColumns(event: LedgerEvent, type: ItemEventType): Record<string, unknown> {
  return { ...eventColumnValues(type, event.data, event.actor), last_seq: event.seq };
}

const statusSql = new Map<ItemEventType, string | null>();

/**
 * The status after an event of this type, as SQL over the stored one, from the state machine: only
 * the statuses the type moves are named, so a note (which moves none) sets no status at all and the
 * status index is left alone. A status the table does not allow the type from stays as it is (the
 * event was allowed when it was recorded; a rebuild must not fail should the table change).
 */
function statusAfter(type: ItemEventType): string | null {
  let sql = statusSql.get(type);
  if (sql === undefined) {
    const moves = ITEM_STATUSES.flatMap((from) => {
      const to = nextStatus(from, type);
      return to && to !== from ? [`WHEN '${from}' THEN '${to}'`] : [];
    });
    sql = moves.length === 0 ? null : `CASE status ${moves.join(' ')} ELSE status END`;
    statusSql.set(type, sql);
  }
  return sql;
}
