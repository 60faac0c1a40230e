import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DOCUMENT_KINDS, DOCUMENT_MEDIA_TYPES } from './documents.enums';

/**
 * Projection of document_added events. The bytes live beside the database, named by their SHA-256
 * (documents.store.ts); this table says what each one is and when it came.
 */
export const documents = sqliteTable('documents', {
  sha256: text('sha256').primaryKey(),
  mediaType: text('media_type', { enum: DOCUMENT_MEDIA_TYPES }).notNull(),
  size: integer('size').notNull(),
  kind: text('kind', { enum: DOCUMENT_KINDS }).notNull(),
  title: text('title'),
  addedBy: text('added_by').notNull(),
  addedAt: text('added_at').notNull(),
  addedSeq: integer('added_seq').notNull().unique(),
});
