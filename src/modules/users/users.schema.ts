import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ROLES } from './roles';

/** Projection of user_* events. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdSeq: integer('created_seq').notNull(),
});

/** Projection of token_issued / token_revoked events: which tokens exist, never their secret. */
export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  prefix: text('prefix').notNull(),
  issuedAt: text('issued_at').notNull(),
  revokedAt: text('revoked_at'),
});

/**
 * Not a projection: the SHA-256 of each token's secret. Secrets never enter the ledger (the export
 * is handed to outsiders), so this table is written beside the token_issued event, in its transaction.
 */
export const credentials = sqliteTable('credentials', {
  tokenId: text('token_id')
    .primaryKey()
    .references(() => apiTokens.id),
  secretHash: text('secret_hash').notNull().unique(),
});
