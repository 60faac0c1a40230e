import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The ledger: one append-only table of events. Triggers (drizzle/*_ledger_triggers.sql) refuse
 * UPDATE and DELETE. `data` holds the RFC 8785 canonical JSON of the event's data, so the exact
 * bytes that were hashed can be rebuilt from the row without re-canonicalising (docs/ledger-format.md).
 */
export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey(),
    type: text('type').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    occurredAt: text('occurred_at').notNull(),
    recordedAt: text('recorded_at').notNull(),
    actor: text('actor').notNull(),
    data: text('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  // One index beside the primary key: every other one costs each append (67,000 at an intake).
  (t) => [index('events_entity').on(t.entityType, t.entityId, t.seq)],
);

/** Signed checkpoints (C2SP signed notes), append-only like the events. */
export const checkpoints = sqliteTable('checkpoints', {
  treeSize: integer('tree_size').primaryKey(),
  rootHash: text('root_hash').notNull(),
  headHash: text('head_hash').notNull(),
  signedAt: text('signed_at').notNull(),
  note: text('note').notNull(),
});

/**
 * The ledger's running state: head and the RFC 6962 compact range (frontier), kept so an append
 * costs O(log n). Derived from the events; `verify` recomputes it.
 */
export const ledgerState = sqliteTable('ledger_state', {
  id: integer('id').primaryKey(),
  ledgerId: text('ledger_id').notNull(),
  headSeq: integer('head_seq').notNull(),
  headHash: text('head_hash').notNull(),
  frontier: text('frontier').notNull(),
});

/**
 * Complete Merkle subtrees in C2SP tlog-tiles form (height 8): the tile at `level` L, index `idx`
 * holds `width` consecutive hashes of level-8L subtrees, 32 bytes each, in `hashes`, and in `nodes`
 * the tile's interior nodes (width − popcount(width) hashes, in the order they complete), so that a
 * proof reads hashes instead of computing them. Level-0 tiles hold leaf hashes and are written once
 * full; tiles above are rewritten as they grow. Derived from the events in the append's
 * transaction, rebuildable, compared by `verify` (src/ledger/tiles.ts).
 */
export const merkleTiles = sqliteTable(
  'merkle_tiles',
  {
    level: integer('level').notNull(),
    idx: integer('idx').notNull(),
    width: integer('width').notNull(),
    hashes: blob('hashes', { mode: 'buffer' }).notNull(),
    nodes: blob('nodes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);
