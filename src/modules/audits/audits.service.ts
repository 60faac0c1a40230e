import type { Db } from '../../db/open';
import type { RowOf } from '../../db/rows';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { formatEvidenceNo } from '../../lib/codes';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { checkOccurredAt } from '../../lib/time';
import { getCase } from '../cases/cases.service';
import { findItemRow } from '../items/items.service';
import { getLocation } from '../locations/locations.service';
import { userNames } from '../users/users.service';
import {
  type AuditStatus,
  type DiscrepancyKind,
  type ScanOutcome,
  UNEXPECTED_OUTCOMES,
} from './audits.enums';
import type { audits } from './audits.schema';
import {
  type AuditScopeRef,
  countExpected,
  countUnscanned,
  type Place,
  placeCache,
  placeOf,
  scopeLocations,
  unscannedItems,
} from './audits.scope';

export type AuditRow = RowOf<typeof audits>;

export function scopeOf(row: AuditRow): AuditScopeRef {
  return row.scope === 'location'
    ? { scope: 'location', locationCode: row.location_code as string }
    : { scope: 'case', caseId: row.case_id as string };
}

export function getAuditRow(db: Db, id: string): AuditRow {
  const row = prepared(db, 'SELECT * FROM audits WHERE id = ?').get(id) as AuditRow | undefined;
  if (!row)
    throw new AppError('audit_not_found', `no audit "${id.slice(0, 64)}"`, { auditId: id.slice(0, 64) });
  return row;
}

/** The audit, refused with 409 audit_closed once it is closed. */
export function getOpenAudit(db: Db, id: string): AuditRow {
  const row = getAuditRow(db, id);
  if (row.status !== 'open') {
    throw new AppError(
      'audit_closed',
      `audit ${row.id} was closed at ${row.closed_at} (seq ${row.closed_seq})`,
      {
        auditId: row.id,
        closedSeq: row.closed_seq,
      },
    );
  }
  return row;
}

export interface StartAuditInput {
  locationCode?: string | undefined;
  caseId?: string | undefined;
  title?: string | undefined;
  occurredAt?: string | undefined;
}

/** Opens an inventory of a location subtree or of a case; records how many items it expects now. */
export function startAudit(tx: Tx, input: StartAuditInput, actor: Actor) {
  checkOccurredAt(input.occurredAt, tx.now);
  const scope: AuditScopeRef =
    input.locationCode !== undefined
      ? { scope: 'location', locationCode: getLocation(tx.db, input.locationCode).code }
      : { scope: 'case', caseId: getCase(tx.db, input.caseId as string).id };
  const auditId = newId('aud');
  tx.append({
    type: 'audit_started',
    entityType: 'audit',
    entityId: auditId,
    actor,
    occurredAt: input.occurredAt,
    data: {
      auditId,
      ...scope,
      ...(input.title ? { title: input.title } : {}),
      expected: countExpected(tx.db, scope),
    },
  });
  return showAudit(tx.db, auditId);
}

function auditView(db: Db, row: AuditRow, names: Map<string, string>) {
  const who = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? id });
  return {
    id: row.id,
    scope: row.scope,
    location: row.location_code ? placeOf(db, row.location_code) : null,
    caseId: row.case_id,
    title: row.title,
    status: row.status,
    startedBy: who(row.started_by) as { id: string; name: string },
    startedAt: row.started_at,
    startedSeq: row.started_seq,
    closedBy: who(row.closed_by),
    closedAt: row.closed_at,
    closedSeq: row.closed_seq,
    expectedAtStart: row.expected_at_start,
  };
}

export function listAudits(
  db: Db,
  q: { limit: number; cursor?: string | undefined; status?: AuditStatus | undefined },
) {
  const rows = prepared(
    db,
    `SELECT * FROM audits WHERE started_seq > @after AND (@status IS NULL OR status = @status)
       ORDER BY started_seq LIMIT @limit`,
  ).all({ after: afterKey(q.cursor), status: q.status ?? null, limit: q.limit + 1 }) as AuditRow[];
  const page = keyPage(rows, q.limit, (r) => r.started_seq);
  const names = userNames(
    db,
    page.items.flatMap((r) => [r.started_by, ...(r.closed_by ? [r.closed_by] : [])]),
  );
  return { items: page.items.map((r) => auditView(db, r, names)), nextCursor: page.nextCursor };
}

export interface Counts {
  expected: number;
  found: number;
  foundViaContainer: number;
  notYetScanned: number;
  missing: number;
  misplaced: number;
  unexpected: number;
  accountedFor: number;
  duplicates: number;
  itemsScanned: number;
  locationsInScope: number;
  locationsScanned: number;
}

const UNEXPECTED_SQL = UNEXPECTED_OUTCOMES.map((o) => `'${o}'`).join(', ');

/** The counts of an open audit, from its scans and the ledger's record now. */
export function liveCounts(db: Db, row: AuditRow): Counts & { unscannedLocations: Place[] } {
  const scope = scopeOf(row);
  const scans = prepared(
    db,
    `SELECT
       count(*) FILTER (WHERE kind = 'item' AND outcome <> 'duplicate') AS items,
       count(*) FILTER (WHERE kind = 'item' AND in_scope AND outcome = 'expected_here') AS found,
       count(*) FILTER (WHERE kind = 'item' AND in_scope AND outcome = 'expected_here' AND via_container IS NOT NULL) AS via,
       count(*) FILTER (WHERE outcome = 'expected_elsewhere') AS misplaced,
       count(*) FILTER (WHERE outcome IN (${UNEXPECTED_SQL})) AS unexpected,
       count(*) FILTER (WHERE outcome = 'duplicate') AS duplicates,
       count(*) FILTER (WHERE kind = 'item' AND in_scope) AS scopeScanned
     FROM audit_scans WHERE audit_id = ?`,
  ).get(row.id) as Record<string, number>;
  const scanned = new Set(
    (
      prepared(db, `SELECT DISTINCT code FROM audit_scans WHERE audit_id = ? AND kind = 'location'`).all(
        row.id,
      ) as { code: string }[]
    ).map((r) => r.code),
  );
  const locations = scopeLocations(db, scope);
  const notYetScanned = countUnscanned(db, row.id, scope, 'shelf');
  return {
    expected: notYetScanned + (scans.scopeScanned ?? 0),
    found: scans.found ?? 0,
    foundViaContainer: scans.via ?? 0,
    notYetScanned,
    missing: missingSoFar(db, row, scanned).length,
    misplaced: scans.misplaced ?? 0,
    unexpected: scans.unexpected ?? 0,
    accountedFor: countUnscanned(db, row.id, scope, 'checkedOut'),
    duplicates: scans.duplicates ?? 0,
    itemsScanned: scans.items ?? 0,
    locationsInScope: locations.length,
    locationsScanned: locations.filter((l) => scanned.has(l.code)).length,
    unscannedLocations: locations.filter((l) => !scanned.has(l.code)),
  };
}

/** Open audits: the scope's items not scanned although their recorded location has been. */
function missingSoFar(db: Db, row: AuditRow, scannedLocations: Set<string>) {
  if (scannedLocations.size === 0) return [];
  return unscannedItems(db, row.id, scopeOf(row), 'shelf').filter(
    (r) => r.location_code !== null && scannedLocations.has(r.location_code),
  );
}

export interface Discrepancy {
  kind: DiscrepancyKind;
  evidenceNo: string;
  expectedLocationCode: string | null;
  foundLocationCode: string | null;
  recordedStatus: string | null;
  outcome: ScanOutcome | null;
  seq: number | null;
}

interface ScanRow {
  code: string;
  location_code: string;
  outcome: ScanOutcome;
  expected_location_code: string | null;
  recorded_status: string | null;
  seq: number;
}

/** The misplaced and unexpected items among an audit's scans, in scan order. */
export function scanDiscrepancies(db: Db, auditId: string, limit = 1_000_000_000): Discrepancy[] {
  const rows = prepared(
    db,
    `SELECT code, location_code, outcome, expected_location_code, recorded_status, seq FROM audit_scans
       WHERE audit_id = @auditId AND outcome IN ('expected_elsewhere', ${UNEXPECTED_SQL})
       ORDER BY seq, idx LIMIT @limit`,
  ).all({ auditId, limit }) as ScanRow[];
  return rows.map((r) => ({
    kind: r.outcome === 'expected_elsewhere' ? 'misplaced' : 'unexpected',
    evidenceNo: r.code,
    expectedLocationCode: r.expected_location_code,
    foundLocationCode: r.location_code,
    recordedStatus: r.recorded_status,
    outcome: r.outcome,
    seq: null,
  }));
}

/** The discrepancies an audit's close recorded, in the order they were recorded. */
export function closedDiscrepancies(
  db: Db,
  auditId: string,
  kind: DiscrepancyKind,
  limit = 1_000_000_000,
): Discrepancy[] {
  return prepared(
    db,
    `SELECT kind, evidence_no AS evidenceNo, expected_location_code AS expectedLocationCode,
         found_location_code AS foundLocationCode, recorded_status AS recordedStatus, outcome, seq
       FROM audit_discrepancies WHERE audit_id = @auditId AND kind = @kind ORDER BY seq LIMIT @limit`,
  ).all({ auditId, kind, limit }) as Discrepancy[];
}

const LIST_LIMIT = 200;

export interface ClosedSummary {
  counts: Counts;
  certification: 'no_exceptions' | 'exceptions';
  unscannedLocations: string[];
  note?: string;
}

/** GET /audits/:id: the audit with its counts and discrepancies (so far, while it is open). */
export function showAudit(db: Db, id: string) {
  const row = getAuditRow(db, id);
  const names = userNames(db, [row.started_by, ...(row.closed_by ? [row.closed_by] : [])]);
  const place = placeCache(db);
  const brief = itemBriefs(db);
  const present = (d: Discrepancy) => ({
    kind: d.kind,
    evidenceNo: d.evidenceNo,
    printed: printedEvidenceNo(d.evidenceNo),
    item: brief(d.evidenceNo),
    expectedLocation: place(d.expectedLocationCode),
    foundLocation: place(d.foundLocationCode),
    recordedStatus: d.recordedStatus,
    outcome: d.outcome,
    seq: d.seq,
  });
  if (row.status === 'closed') {
    const summary = JSON.parse(row.summary as string) as ClosedSummary;
    const lists = {
      missing: closedDiscrepancies(db, row.id, 'missing', LIST_LIMIT + 1),
      misplaced: closedDiscrepancies(db, row.id, 'misplaced', LIST_LIMIT + 1),
      unexpected: closedDiscrepancies(db, row.id, 'unexpected', LIST_LIMIT + 1),
    };
    return {
      ...auditView(db, row, names),
      counts: summary.counts,
      certification: summary.certification,
      discrepancies: presentLists(lists, present),
      unscannedLocations: summary.unscannedLocations.map(place).filter((p): p is Place => p !== null),
    };
  }
  const { unscannedLocations, ...counts } = liveCounts(db, row);
  const fromScans = scanDiscrepancies(db, row.id);
  const scannedLocations = new Set(
    (
      prepared(db, `SELECT DISTINCT code FROM audit_scans WHERE audit_id = ? AND kind = 'location'`).all(
        row.id,
      ) as { code: string }[]
    ).map((r) => r.code),
  );
  const lists = {
    missing: missingSoFar(db, row, scannedLocations).map(
      (r): Discrepancy => ({
        kind: 'missing',
        evidenceNo: r.evidence_no,
        expectedLocationCode: r.location_code,
        foundLocationCode: null,
        recordedStatus: r.status,
        outcome: null,
        seq: null,
      }),
    ),
    misplaced: fromScans.filter((d) => d.kind === 'misplaced'),
    unexpected: fromScans.filter((d) => d.kind === 'unexpected'),
  };
  return {
    ...auditView(db, row, names),
    counts,
    certification: null,
    discrepancies: presentLists(lists, present),
    unscannedLocations: unscannedLocations.slice(0, LIST_LIMIT),
  };
}

function presentLists<T>(
  lists: Record<DiscrepancyKind, Discrepancy[]>,
  present: (d: Discrepancy) => T,
): Record<DiscrepancyKind, T[]> & { truncated: boolean } {
  const truncated = Object.values(lists).some((l) => l.length > LIST_LIMIT);
  return {
    missing: lists.missing.slice(0, LIST_LIMIT).map(present),
    misplaced: lists.misplaced.slice(0, LIST_LIMIT).map(present),
    unexpected: lists.unexpected.slice(0, LIST_LIMIT).map(present),
    truncated,
  };
}

/** Printed form of a compact evidence number (EV2600000014 → EV-26-0000001-4). */
export function printedEvidenceNo(compact: string): string {
  return formatEvidenceNo(Number(compact.slice(2, 4)), Number(compact.slice(4, 11))).printed;
}

export interface ItemBrief {
  evidenceNo: string;
  printed: string;
  category: string;
  make: string | null;
  model: string | null;
  serialNumber: string | null;
  caseId: string;
}

/** What an audit shows of an item (null for an evidence number no item carries). */
export function itemBriefs(db: Db) {
  return (evidenceNo: string): ItemBrief | null => {
    const r = findItemRow(db, evidenceNo);
    return r
      ? {
          evidenceNo: r.evidence_no,
          printed: printedEvidenceNo(r.evidence_no),
          category: r.category,
          make: r.make,
          model: r.model,
          serialNumber: r.serial_number,
          caseId: r.case_id,
        }
      : null;
  };
}
