import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Projection of labels_printed events: which print jobs (by the event's seq) included each item,
 * so an item's history shows its reprints and `GET /items?labelPrinted=false` finds the unprinted.
 */
export const labelPrints = sqliteTable(
  'label_prints',
  {
    evidenceNo: text('evidence_no').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.evidenceNo, t.seq] }), index('label_prints_seq').on(t.seq)],
);
