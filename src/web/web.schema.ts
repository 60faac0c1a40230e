import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../modules/users/users.schema';

/**
 * Web sessions: credentials, not ledger facts (like `credentials`). The cookie carries a random
 * secret; only its SHA-256 is kept. Sign-ins and sign-outs are ledger events beside these rows.
 */
export const webSessions = sqliteTable('web_sessions', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull().unique(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  csrfToken: text('csrf_token').notNull(),
  createdAt: text('created_at').notNull(),
  lastSeenAt: text('last_seen_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  endedAt: text('ended_at'),
});

/** Failed sign-ins per key (a username, or `ip:<address>`), for the lock-out. */
export const signInFailures = sqliteTable('sign_in_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  firstAt: text('first_at').notNull(),
  lockedUntil: text('locked_until'),
});

/** A user's interface language (a preference, not a ledger fact). */
export const webPreferences = sqliteTable('web_preferences', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  lang: text('lang').notNull(),
});

/** Answers to writes sent with an Idempotency-Key: a retried or double-clicked write is answered again, never re-done. */
export const idempotentResponses = sqliteTable(
  'idempotent_responses',
  {
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** SHA-256 (hex) of the body bytes the write read; null when it read none (a route without a body). */
    bodyHash: text('body_hash'),
    status: integer('status').notNull(),
    contentType: text('content_type'),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
