import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { EventRow } from '../../ledger/events-read';

type HistoryRow = Pick<EventRow, 'seq' | 'type' | 'occurred_at' | 'recorded_at' | 'actor' | 'data'>;

/** SQL for "this item was on a print job", for the items search (alias `i` for items). */
export const LABEL_PRINTED_SQL =
  'EXISTS (SELECT 1 FROM label_prints lp WHERE lp.evidence_no = i.evidence_no)';

/** An item's print jobs as history rows (the job's item list left out: it can hold 67,000 numbers). */
export function labelPrintRows(db: Db, evidenceNo: string) {
  return prepared(
    db,
    `SELECT e.seq, e.type, e.occurred_at, e.recorded_at, e.actor,
         json_set(json_remove(e.data, '$.items'), '$.jobId', e.entity_id) AS data
       FROM label_prints lp JOIN events e ON e.seq = lp.seq WHERE lp.evidence_no = ? ORDER BY e.seq`,
  ).all(evidenceNo) as HistoryRow[];
}
