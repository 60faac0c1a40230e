import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  AUDIT_SCOPES,
  AUDIT_STATUSES,
  DISCREPANCY_KINDS,
  LOCATE_STATUSES,
  SCAN_KINDS,
  SCAN_OUTCOMES,
} from './audits.enums';

/** Projection of audit_started / audit_closed: one row per audit. */
export const audits = sqliteTable(
  'audits',
  {
    id: text('id').primaryKey(),
    scope: text('scope', { enum: AUDIT_SCOPES }).notNull(),
    /** The root of the audited subtree (scope `location`). */
    locationCode: text('location_code'),
    /** The audited case (scope `case`). */
    caseId: text('case_id'),
    title: text('title'),
    status: text('status', { enum: AUDIT_STATUSES }).notNull(),
    expectedAtStart: integer('expected_at_start').notNull(),
    startedBy: text('started_by').notNull(),
    startedAt: text('started_at').notNull(),
    startedSeq: integer('started_seq').notNull().unique(),
    closedBy: text('closed_by'),
    closedAt: text('closed_at'),
    closedSeq: integer('closed_seq'),
    /** The counts recorded by audit_closed, as JSON. */
    summary: text('summary'),
  },
  (t) => [index('audits_status').on(t.status, t.startedSeq)],
);

/** Projection of audit_scanned: one row per scan (a location, an item, or an item a sealed container stands for). */
export const auditScans = sqliteTable(
  'audit_scans',
  {
    auditId: text('audit_id').notNull(),
    seq: integer('seq').notNull(),
    idx: integer('idx').notNull(),
    kind: text('kind', { enum: SCAN_KINDS }).notNull(),
    /** Compact evidence number or location code. */
    code: text('code').notNull(),
    /** Where it was scanned: the location scanned last (for a location scan, the location itself). */
    locationCode: text('location_code').notNull(),
    outcome: text('outcome', { enum: SCAN_OUTCOMES }).notNull(),
    expectedLocationCode: text('expected_location_code'),
    recordedStatus: text('recorded_status'),
    /** Part of the audit's scope (in the subtree, or of the case). */
    inScope: integer('in_scope', { mode: 'boolean' }).notNull(),
    /** The sealed container (scanned with its seal intact) this item was counted through. */
    viaContainer: text('via_container'),
    actor: text('actor').notNull(),
    scanner: text('scanner').notNull(),
    occurredAt: text('occurred_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.auditId, t.seq, t.idx] }),
    index('audit_scans_code').on(t.auditId, t.code),
    index('audit_scans_outcome').on(t.auditId, t.outcome, t.seq),
  ],
);

/** Each scanner's current location within an audit (the stream: a location first, then its items). */
export const auditStreams = sqliteTable(
  'audit_streams',
  {
    auditId: text('audit_id').notNull(),
    actor: text('actor').notNull(),
    scanner: text('scanner').notNull(),
    locationCode: text('location_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.auditId, t.actor, t.scanner] })],
);

/** Projection of audit_discrepancy: what closing found wrong, one row per item. */
export const auditDiscrepancies = sqliteTable(
  'audit_discrepancies',
  {
    auditId: text('audit_id').notNull(),
    seq: integer('seq').notNull().unique(),
    evidenceNo: text('evidence_no').notNull(),
    kind: text('kind', { enum: DISCREPANCY_KINDS }).notNull(),
    expectedLocationCode: text('expected_location_code'),
    foundLocationCode: text('found_location_code'),
    recordedStatus: text('recorded_status'),
    outcome: text('outcome', { enum: SCAN_OUTCOMES }),
  },
  (t) => [
    primaryKey({ columns: [t.auditId, t.evidenceNo] }),
    index('audit_discrepancies_kind').on(t.auditId, t.kind, t.seq),
  ],
);

/** The "unable to locate" queue: items an audit did not find, until a supervisor resolves them. */
export const unableToLocate = sqliteTable(
  'unable_to_locate',
  {
    auditId: text('audit_id').notNull(),
    evidenceNo: text('evidence_no').notNull(),
    reportedSeq: integer('reported_seq').notNull().unique(),
    reportedAt: text('reported_at').notNull(),
    lastLocationCode: text('last_location_code'),
    dueAt: text('due_at').notNull(),
    status: text('status', { enum: LOCATE_STATUSES }).notNull(),
    resolvedSeq: integer('resolved_seq'),
    resolvedBy: text('resolved_by'),
    resolvedAt: text('resolved_at'),
    foundLocationCode: text('found_location_code'),
    reason: text('reason'),
  },
  (t) => [
    primaryKey({ columns: [t.auditId, t.evidenceNo] }),
    index('unable_to_locate_status').on(t.status, t.reportedSeq),
    index('unable_to_locate_item').on(t.evidenceNo, t.status),
  ],
);
