import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { formatEvidenceNo } from '../../lib/codes';
import { afterKey, keyPage } from '../../lib/cursor';
import { getCase } from '../cases/cases.service';
import type { ItemCategory, ItemStatus } from '../items/items.enums';
import type { DiscrepancyResolution, ItemOutcome } from './disposal.enums';
import { getDisposalState } from './disposal.service';

const printedOf = (compact: string) =>
  formatEvidenceNo(Number(compact.slice(2, 4)), Number(compact.slice(4, 11))).printed;

interface BatchItemRow {
  disposal_id: string;
  evidence_no: string;
  position: number;
  outcome: ItemOutcome;
  scanned_at: string | null;
  scanned_by: string | null;
  resolution: DiscrepancyResolution | null;
  resolution_note: string | null;
  category: ItemCategory;
  make: string | null;
  model: string | null;
  serial_number: string | null;
  status: ItemStatus;
  key: number;
}

const BATCH_SELECT = `SELECT di.disposal_id, di.evidence_no, di.position, di.outcome, di.scanned_at, di.scanned_by,
  di.resolution, di.resolution_note, i.category, i.make, i.model, i.serial_number, i.status`;

const toBatchItem = (r: BatchItemRow) => ({
  disposalId: r.disposal_id,
  evidenceNo: r.evidence_no,
  printed: printedOf(r.evidence_no),
  position: r.position,
  outcome: r.outcome,
  scannedAt: r.scanned_at,
  scannedBy: r.scanned_by,
  resolution: r.resolution,
  resolutionNote: r.resolution_note,
  category: r.category,
  make: r.make,
  model: r.model,
  serialNumber: r.serial_number,
  status: r.status,
});

/** One disposal's items in proposal order, with what became of each; filter by outcome. */
export function listBatchItems(
  db: Db,
  disposalId: string,
  q: { limit: number; cursor?: string | undefined; outcome?: ItemOutcome | undefined },
) {
  const d = getDisposalState(db, disposalId);
  const rows = prepared(
    db,
    `${BATCH_SELECT}, di.position AS key FROM disposal_items di JOIN items i ON i.evidence_no = di.evidence_no
     WHERE di.disposal_id = @id AND di.position > @after AND (@outcome IS NULL OR di.outcome = @outcome)
     ORDER BY di.position LIMIT @limit`,
  ).all({
    id: d.id,
    after: afterKey(q.cursor),
    outcome: q.outcome ?? null,
    limit: q.limit + 1,
  }) as BatchItemRow[];
  const page = keyPage(rows, q.limit, (r) => r.key);
  return { items: page.items.map(toBatchItem), nextCursor: page.nextCursor };
}

/** Items missing at disposal across every batch: the supervisor's queue (`open=true`: unresolved). */
export function listDiscrepancies(
  db: Db,
  q: { limit: number; cursor?: string | undefined; open?: 'true' | 'false' | undefined },
) {
  const open = q.open === undefined ? null : q.open === 'true' ? 1 : 0;
  const rows = prepared(
    db,
    `${BATCH_SELECT}, d.completed_seq * 100000 + di.position AS key
     FROM disposal_items di JOIN disposals d ON d.id = di.disposal_id JOIN items i ON i.evidence_no = di.evidence_no
     WHERE di.outcome = 'missing_at_disposal' AND d.completed_seq * 100000 + di.position > @after
       AND (@open IS NULL OR (di.resolution IS NULL) = @open)
     ORDER BY key LIMIT @limit`,
  ).all({ after: afterKey(q.cursor), open, limit: q.limit + 1 }) as BatchItemRow[];
  const page = keyPage(rows, q.limit, (r) => r.key);
  return { items: page.items.map(toBatchItem), nextCursor: page.nextCursor };
}

interface EligibleRow {
  evidence_no: string;
  case_id: string;
  case_number: string;
  category: ItemCategory;
  make: string | null;
  model: string | null;
  serial_number: string | null;
  status: ItemStatus;
  location_code: string | null;
  value_minor: number | null;
  value_currency: string | null;
  disposal_id: string | null;
  since: string;
  registered_seq: number;
}

/**
 * The disposal backlog: items still on the shelves that could go — those of closed cases not yet in
 * a disposal, and those whose disposal is approved but not yet carried out. Oldest registration first.
 * (Reads the items and cases tables directly: a join the backlog needs at 67,000 items.)
 */
export function listEligible(
  db: Db,
  q: { limit: number; cursor?: string | undefined; caseId?: string | undefined },
) {
  if (q.caseId) getCase(db, q.caseId);
  const rows = prepared(
    db,
    `SELECT i.evidence_no, i.case_id, c.number AS case_number, i.category, i.make, i.model, i.serial_number, i.status,
       i.location_code, i.value_minor, i.value_currency, i.registered_seq,
       od.id AS disposal_id,
       CASE WHEN i.status = 'disposal_authorised' THEN od.decided_at
            ELSE (SELECT e.recorded_at FROM events e WHERE e.seq = c.updated_seq) END AS since
     FROM items i JOIN cases c ON c.id = i.case_id
     LEFT JOIN (SELECT di.evidence_no, d.id, d.decided_at FROM disposal_items di JOIN disposals d ON d.id = di.disposal_id
                WHERE d.status IN ('proposed', 'approved')) od ON od.evidence_no = i.evidence_no
     WHERE i.registered_seq > @after AND (@caseId IS NULL OR i.case_id = @caseId)
       AND ((i.status = 'disposal_authorised')
            OR (i.status = 'in_storage' AND c.status = 'closed' AND od.id IS NULL))
     ORDER BY i.registered_seq LIMIT @limit`,
  ).all({ after: afterKey(q.cursor), caseId: q.caseId ?? null, limit: q.limit + 1 }) as EligibleRow[];
  const page = keyPage(rows, q.limit, (r) => r.registered_seq);
  return {
    items: page.items.map((r) => ({
      evidenceNo: r.evidence_no,
      printed: printedOf(r.evidence_no),
      caseId: r.case_id,
      caseNumber: r.case_number,
      category: r.category,
      make: r.make,
      model: r.model,
      serialNumber: r.serial_number,
      status: r.status,
      locationCode: r.location_code,
      reason:
        r.status === 'disposal_authorised' ? ('disposal_authorised' as const) : ('case_closed' as const),
      disposalId: r.disposal_id,
      since: r.since,
      valuation:
        r.value_minor === null || r.value_currency === null
          ? null
          : { amountMinor: r.value_minor, currency: r.value_currency },
    })),
    nextCursor: page.nextCursor,
  };
}
