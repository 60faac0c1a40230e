import type { AppContext } from '../../context';
import { prepared } from '../../db/statements';
import type { Checkpoint } from '../../ledger/checkpoint';
import { type EventRow, exportLineOf } from '../../ledger/events-read';
import { AppError } from '../../lib/errors';
import { getCase } from '../cases/cases.service';
import { Names } from '../reports/facts';
import { reportCheckpoint } from '../reports/fingerprint';
import { type Field, type ReportHead, reportHead } from '../reports/item.payload';
import { closingFacts, evidenceAttachments, reportFrame, VERIFY_STEPS } from '../reports/item.render';
import { type Column, closingBlock, type PdfSpec } from '../reports/pdf';
import { makeReport, requesterOf } from '../reports/reports.service';
import { printTime, printUtc, words } from '../reports/words';
import type { AuthUser } from '../users/users.service';
import type { DiscrepancyKind } from './audits.enums';
import {
  type ClosedSummary,
  closedDiscrepancies,
  getAuditRow,
  itemBriefs,
  printedEvidenceNo,
} from './audits.service';

export const AUDIT_REPORT_KIND = 'audit';

/** One discrepancy as the report prints it: the cells of its row. */
export interface ReportDiscrepancy {
  kind: string;
  evidenceNo: string;
  printed: string;
  item: string;
  recordedAt: string;
  foundAt: string;
  followUp: string;
  seq: number;
}

export interface AuditReportPayload extends ReportHead {
  kind: typeof AUDIT_REPORT_KIND;
  audit: { id: string; fields: Field[] };
  certification: { result: 'no_exceptions' | 'exceptions'; text: string };
  discrepancies: ReportDiscrepancy[];
  counts: Field[];
  unscannedLocations: string[];
  /** The audit's own events (started, discrepancies, closed, resolutions), exactly as exported. */
  events: Record<string, unknown>[];
}

/** The discrepancy table's columns (a verifier compares the printed rows with the payload). */
export const DISCREPANCY_COLUMNS: readonly Column[] = [
  { header: 'Discrepancy', width: 62 },
  { header: 'Evidence no.', width: 78, font: 'mono' },
  { header: 'Item' },
  { header: 'Recorded at', width: 90 },
  { header: 'Found at', width: 76 },
  { header: 'Status and follow-up', width: 92 },
  { header: 'Seq', width: 28, font: 'mono' },
];

export const discrepancyCells = (d: ReportDiscrepancy) => [
  d.kind,
  d.printed,
  d.item,
  d.recordedAt,
  d.foundAt,
  d.followUp,
  String(d.seq),
];

const OUTCOME_WORDS: Record<string, string> = {
  checked_out: 'on hand, but recorded as checked out',
  disposed: 'on hand, but recorded as disposed',
  not_received: 'on hand, but never received into the warehouse',
  recorded_missing: 'on hand, but recorded as missing',
  unknown: 'no item carries this number',
};

interface LocateRow {
  evidence_no: string;
  due_at: string;
  status: string;
  resolved_seq: number | null;
  resolved_at: string | null;
  found_location_code: string | null;
  reason: string | null;
}

/** Every fact the audit report prints, from the ledger at a checkpoint that holds all of the audit's events. */
export function auditReportPayload(
  app: AppContext,
  auditId: string,
  user: AuthUser,
  serviceUrl: string,
): { payload: AuditReportPayload; checkpoint: Checkpoint } {
  const db = app.db;
  const audit = getAuditRow(db, auditId);
  if (audit.status !== 'closed' || audit.closed_seq === null) {
    throw new AppError(
      'audit_not_closed',
      `audit ${audit.id} is still open: close it first (GET /audits/${audit.id} shows its state so far)`,
      { auditId: audit.id },
    );
  }
  const rows = prepared(
    db,
    `SELECT * FROM events WHERE entity_type = 'audit' AND entity_id = ? AND type <> 'audit_scanned' ORDER BY seq`,
  ).all(audit.id) as EventRow[];
  const covered = rows.at(-1)?.seq ?? audit.closed_seq;
  const cp = reportCheckpoint(app.ledger, covered);
  const names = new Names(db, cp.treeSize);
  const brief = itemBriefs(db);
  const summary = JSON.parse(audit.summary as string) as ClosedSummary;
  const c = summary.counts;
  const scopeText =
    audit.scope === 'location'
      ? names.location(audit.location_code)
      : `case ${getCase(db, audit.case_id as string).number}`;
  const locate = new Map(
    (prepared(db, 'SELECT * FROM unable_to_locate WHERE audit_id = ?').all(audit.id) as LocateRow[]).map(
      (r) => [r.evidence_no, r],
    ),
  );
  const followUp = (
    kind: DiscrepancyKind,
    evidenceNo: string,
    recorded: string | null,
    outcome: string | null,
  ) => {
    if (kind === 'missing') {
      const entry = locate.get(evidenceNo);
      if (!entry) return 'unable to locate';
      if (entry.status === 'found')
        return `found ${printUtc(entry.resolved_at as string)} at ${names.location(entry.found_location_code)} (seq ${entry.resolved_seq})`;
      if (entry.status === 'written_off')
        return `written off ${printUtc(entry.resolved_at as string)}: ${entry.reason ?? ''} (seq ${entry.resolved_seq})`;
      return `unable to locate; resolve by ${printUtc(entry.due_at)}`;
    }
    if (kind === 'misplaced') return 'in storage elsewhere: move it back or record the move';
    return outcome ? (OUTCOME_WORDS[outcome] ?? words(outcome)) : words(recorded ?? '');
  };
  const discrepancies: ReportDiscrepancy[] = (['missing', 'misplaced', 'unexpected'] as const).flatMap(
    (kind) =>
      closedDiscrepancies(db, audit.id, kind).map((d) => {
        const item = brief(d.evidenceNo);
        return {
          kind,
          evidenceNo: d.evidenceNo,
          printed: printedEvidenceNo(d.evidenceNo),
          item: item
            ? [
                words(item.category),
                item.make,
                item.model,
                item.serialNumber ? `s/n ${item.serialNumber}` : null,
              ]
                .filter(Boolean)
                .join(' ')
            : 'not in the ledger',
          recordedAt: d.expectedLocationCode ? names.location(d.expectedLocationCode) : '—',
          foundAt: d.foundLocationCode
            ? names.location(d.foundLocationCode)
            : kind === 'missing'
              ? 'not found'
              : '—',
          followUp: followUp(kind, d.evidenceNo, d.recordedStatus, d.outcome),
          seq: d.seq as number,
        };
      }),
  );
  const exceptions = [
    [c.missing, 'missing'],
    [c.misplaced, 'misplaced'],
    [c.unexpected, 'unexpected'],
    [
      summary.unscannedLocations.length,
      summary.unscannedLocations.length === 1 ? 'location not scanned' : 'locations not scanned',
    ],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
  const opening =
    `The inventory of ${scopeText}, started ${printTime(audit.started_at)} by ${names.user(audit.started_by)} ` +
    `and closed ${printTime(audit.closed_at as string)} by ${names.user(audit.closed_by)}, found ${c.found} of the ` +
    `${c.expected} items the ledger records there`;
  const certification =
    summary.certification === 'no_exceptions'
      ? { result: 'no_exceptions' as const, text: `${opening}. Certified with no exceptions.` }
      : {
          result: 'exceptions' as const,
          text: `${opening}. Certified with the following exceptions: ${exceptions}.`,
        };
  const head = reportHead(
    app.ledger,
    cp,
    AUDIT_REPORT_KIND,
    { auditId: audit.id },
    requesterOf(user),
    serviceUrl,
    `Audit report · ${scopeText}`,
    audit.title ?? `Inventory by scanning, audit ${audit.id}`,
  );
  return {
    payload: {
      ...head,
      kind: AUDIT_REPORT_KIND,
      audit: {
        id: audit.id,
        fields: [
          ['Audit', audit.id],
          [
            'Counted',
            audit.scope === 'location'
              ? `everything stored at ${scopeText} and inside it`
              : `every item of ${scopeText}`,
          ],
          ...(audit.title ? ([['Title', audit.title]] as Field[]) : []),
          [
            'Started',
            `${printTime(audit.started_at)} by ${names.user(audit.started_by)} (seq ${audit.started_seq})`,
          ],
          [
            'Closed',
            `${printTime(audit.closed_at as string)} by ${names.user(audit.closed_by)} (seq ${audit.closed_seq})`,
          ],
          ...(summary.note ? ([['Note at close', summary.note]] as Field[]) : []),
        ],
      },
      certification,
      discrepancies,
      counts: [
        ['Expected (recorded in scope)', String(c.expected)],
        ['Found where recorded', String(c.found)],
        ['Found through a sealed container (of those found)', String(c.foundViaContainer)],
        ['Missing (unable to locate)', String(c.missing)],
        ['Misplaced (recorded elsewhere)', String(c.misplaced)],
        ['Unexpected (on hand, not recorded on a shelf)', String(c.unexpected)],
        ['Accounted for (on authorised temporary release)', String(c.accountedFor)],
        ['Items scanned', String(c.itemsScanned)],
        ['Duplicate scans (counted once)', String(c.duplicates)],
        ['Locations scanned', `${c.locationsScanned} of ${c.locationsInScope}`],
      ],
      unscannedLocations: summary.unscannedLocations.map((code) => names.location(code)),
      events: rows
        .filter((r) => r.seq <= cp.treeSize)
        .map((r) => JSON.parse(exportLineOf(r)) as Record<string, unknown>),
    },
    checkpoint: cp,
  };
}

const KIND_FILL: Record<string, string> = { missing: '#fde2e2', misplaced: '#fff1cc', unexpected: '#e4ecfb' };

/** The audit report as the shared PDF layer draws it: a pure function of its payload. */
export async function auditReportSpec(
  p: AuditReportPayload,
  evidence: Parameters<typeof evidenceAttachments>[0],
): Promise<PdfSpec> {
  const facts = closingFacts(p, evidence.fingerprint);
  return {
    ...reportFrame(
      p,
      evidence.fingerprint,
      `Audit report ${p.audit.id}`,
      `Audit ${p.audit.id} at ledger checkpoint ${p.checkpoint.treeSize}`,
    ),
    content: async (w) => {
      w.heading('Audit report', 17);
      w.paragraph(
        `Made on ${p.madeAt} for ${p.requestedBy.name} (${p.requestedBy.role}), from ledger checkpoint ${p.checkpoint.treeSize}.`,
        { size: 9 },
      );
      w.space(4);
      w.fields(p.audit.fields);
      w.heading('Certification', 11);
      w.paragraph(p.certification.text, { size: 10, font: 'bold' });
      if (p.discrepancies.length > 0) {
        w.heading(`Exceptions: ${p.discrepancies.length} item(s)`, 11);
        w.beginTable(DISCREPANCY_COLUMNS, 7.5);
        for (const d of p.discrepancies) {
          w.row(discrepancyCells(d), { fill: KIND_FILL[d.kind] ?? '#ffffff' });
          await w.breathe();
        }
        w.endTable();
      }
      if (p.unscannedLocations.length > 0) {
        w.heading(`Locations not scanned: ${p.unscannedLocations.length}`, 11);
        for (const l of p.unscannedLocations) w.paragraph(l, { size: 8.5, indent: 10 });
      }
      w.heading('Counts', 11);
      w.fields(p.counts, 280);
      closingBlock(w, facts, VERIFY_STEPS);
    },
    attachments: () => evidenceAttachments(evidence),
  };
}

/** Makes a closed audit's report, records that it was made (report_made), and returns the PDF. */
export async function makeAuditReport(app: AppContext, auditId: string, user: AuthUser, serviceUrl: string) {
  const made = auditReportPayload(app, auditId, user, serviceUrl);
  const seqs = made.payload.events.map((e) => Number(e.seq));
  return makeReport(app, made, seqs, auditReportSpec);
}
