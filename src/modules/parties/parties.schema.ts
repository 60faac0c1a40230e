import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { PARTY_KINDS } from './parties.enums';

/** Projection of party_registered events: someone outside the users who can hold an item. */
export const parties = sqliteTable('parties', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: PARTY_KINDS }).notNull(),
  name: text('name').notNull(),
  contact: text('contact'),
  reference: text('reference'),
  createdSeq: integer('created_seq').notNull().unique(),
});
