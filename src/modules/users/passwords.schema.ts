import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users.schema';

/**
 * Not a projection: each user's scrypt password hash. Like `credentials`, secrets never enter the
 * ledger; the `user_password_set` event that records the change is appended in the same transaction.
 */
export const userPasswords = sqliteTable('user_passwords', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  hash: text('hash').notNull(),
  setAt: text('set_at').notNull(),
});
