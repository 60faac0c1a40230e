import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { CASE_STATUSES } from './cases.enums';

/** Projection of case_* events. */
export const cases = sqliteTable('cases', {
  id: text('id').primaryKey(),
  number: text('number').notNull().unique(),
  title: text('title').notNull(),
  legalBasis: text('legal_basis').notNull(),
  agency: text('agency').notNull(),
  openedOn: text('opened_on').notNull(),
  status: text('status', { enum: CASE_STATUSES }).notNull(),
  createdSeq: integer('created_seq').notNull().unique(),
  updatedSeq: integer('updated_seq').notNull(),
});
