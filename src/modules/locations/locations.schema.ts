import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { LOCATION_KINDS } from './locations.enums';

/** Projection of location_created events. `code` is the compact LC… form with its Damm digit. */
export const locations = sqliteTable(
  'locations',
  {
    code: text('code').primaryKey(),
    serial: integer('serial').notNull().unique(),
    kind: text('kind', { enum: LOCATION_KINDS }).notNull(),
    name: text('name').notNull(),
    parentCode: text('parent_code'),
    /** Human path, e.g. "Ekibastuz WH-1 › Room 2 › Shelf B › Bin 4". */
    path: text('path').notNull(),
    createdSeq: integer('created_seq').notNull().unique(),
  },
  (t) => [index('locations_parent').on(t.parentCode)],
);
