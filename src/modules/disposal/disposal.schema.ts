import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  AUTHORITY_KINDS,
  DISCREPANCY_RESOLUTIONS,
  DISPOSAL_STATUSES,
  DISPOSITIONS,
  ITEM_OUTCOMES,
} from './disposal.enums';

/** Projection of disposal_* events: one row per disposal batch. */
export const disposals = sqliteTable(
  'disposals',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: DISPOSAL_STATUSES }).notNull(),
    disposition: text('disposition', { enum: DISPOSITIONS }).notNull(),
    authorityKind: text('authority_kind', { enum: AUTHORITY_KINDS }).notNull(),
    authorityNumber: text('authority_number').notNull(),
    authorityDate: text('authority_date').notNull(),
    authorityIssuer: text('authority_issuer').notNull(),
    /** JSON array of the SHA-256 of the documents the proposal cites (the scanned order). */
    documents: text('documents').notNull(),
    caseId: text('case_id'),
    itemCount: integer('item_count').notNull(),
    scannedCount: integer('scanned_count').notNull().default(0),
    missingCount: integer('missing_count').notNull().default(0),
    openDiscrepancies: integer('open_discrepancies').notNull().default(0),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: text('proposed_at').notNull(),
    proposedSeq: integer('proposed_seq').notNull().unique(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    decidedSeq: integer('decided_seq'),
    decisionReason: text('decision_reason'),
    completedBy: text('completed_by'),
    completedSeq: integer('completed_seq'),
    completedOn: text('completed_on'),
    certificateNo: text('certificate_no').unique(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [index('disposals_status').on(t.status, t.proposedSeq)],
);

/** The items of each disposal, in the proposal's order, with what became of each. */
export const disposalItems = sqliteTable(
  'disposal_items',
  {
    disposalId: text('disposal_id')
      .notNull()
      .references(() => disposals.id),
    evidenceNo: text('evidence_no').notNull(),
    position: integer('position').notNull(),
    outcome: text('outcome', { enum: ITEM_OUTCOMES }).notNull().default('pending'),
    scannedSeq: integer('scanned_seq'),
    scannedBy: text('scanned_by'),
    scannedAt: text('scanned_at'),
    proceedsMinor: integer('proceeds_minor'),
    resolution: text('resolution', { enum: DISCREPANCY_RESOLUTIONS }),
    resolvedBy: text('resolved_by'),
    resolvedSeq: integer('resolved_seq'),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    primaryKey({ columns: [t.disposalId, t.evidenceNo] }),
    index('disposal_items_item').on(t.evidenceNo),
    index('disposal_items_position').on(t.disposalId, t.position),
  ],
);
