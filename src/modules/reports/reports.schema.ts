import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Projection of report_made events: which report was made, of what, at which checkpoint, for whom. */
export const reports = sqliteTable(
  'reports',
  {
    fingerprint: text('fingerprint').primaryKey(),
    kind: text('kind').notNull(),
    parameters: text('parameters').notNull(),
    treeSize: integer('tree_size').notNull(),
    rootHash: text('root_hash').notNull(),
    firstSeq: integer('first_seq').notNull(),
    lastSeq: integer('last_seq').notNull(),
    timesMade: integer('times_made').notNull(),
  },
  (t) => [index('reports_kind').on(t.kind, t.firstSeq)],
);

/**
 * The payloads the reports were made from, content-addressed by their fingerprint (the SHA-256 of
 * the canonical JSON), deflated. Not a projection: the event names the fingerprint, this table holds
 * the bytes behind it, and anyone can check one against the other (like documents by their hash).
 */
export const reportPayloads = sqliteTable('report_payloads', {
  fingerprint: text('fingerprint').primaryKey(),
  deflated: blob('deflated', { mode: 'buffer' }).notNull(),
  size: integer('size').notNull(),
});
