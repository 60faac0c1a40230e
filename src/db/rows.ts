import type { Table } from 'drizzle-orm';

/**
 * A table's row as a raw statement returns it: the schema's column names (snake_case) with the
 * schema's value types. Hot paths (appends, projectors, the state read, searches) run raw prepared
 * statements — preparing once per connection costs less than building a drizzle query per call —
 * and type their rows with this, so the drizzle schema stays the one definition of every row.
 */
export type RowOf<T extends Table> = {
  [K in keyof T['_']['columns'] &
    keyof T['$inferSelect'] as T['_']['columns'][K]['_']['name']]: T['$inferSelect'][K];
};
