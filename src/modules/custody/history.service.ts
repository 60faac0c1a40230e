import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { labelPrintRows } from '../labels/labels.prints';
import { userNames } from '../users/users.service';
import { getCustodyState } from './custody.state';

export interface HistoryEntry {
  seq: number;
  type: string;
  ledgerType: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: string };
  data: Record<string, unknown>;
  corrects?: number;
  correctedBy: number[];
}

interface Row {
  seq: number;
  type: string;
  occurred_at: string;
  recorded_at: string;
  actor: string;
  data: string;
}

/**
 * Every event of one item in ledger order, with the actors' display names. A correction names the
 * seq it corrects, and the corrected event lists the corrections that follow it: nothing is edited.
 */
export function itemHistory(db: Db, evidenceNoText: string) {
  const state = getCustodyState(db, evidenceNoText);
  const rows = prepared(
    db,
    `SELECT seq, type, occurred_at, recorded_at, actor, data FROM events
       WHERE entity_type = 'item' AND entity_id = ? ORDER BY seq`,
  ).all(state.evidenceNo) as Row[];
  // Label print jobs name many items in one event; they show in each item's history too.
  rows.push(...labelPrintRows(db, state.evidenceNo));
  rows.sort((a, b) => a.seq - b.seq);
  const names = userNames(
    db,
    rows.map((r) => r.actor),
  );
  const events: HistoryEntry[] = rows.map((r) => {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    const entry: HistoryEntry = {
      seq: r.seq,
      type: r.type.replace(/^item_/, ''),
      ledgerType: r.type,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
      actor: { id: r.actor, name: r.actor === 'system' ? 'system' : (names.get(r.actor) ?? r.actor) },
      data,
      correctedBy: [],
    };
    if (r.type === 'item_correction' && typeof data.corrects === 'number') entry.corrects = data.corrects;
    return entry;
  });
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  for (const e of events) if (e.corrects !== undefined) bySeq.get(e.corrects)?.correctedBy.push(e.seq);
  return { evidenceNo: state.evidenceNo, printed: state.parsed.printed, status: state.status, events };
}
