import type { Statement } from 'better-sqlite3';
import type { Db, Sqlite } from './open';

const cache = new WeakMap<Sqlite, Map<string, Statement>>();

/**
 * A statement prepared once per connection. Preparing costs more than running a small query, and
 * services, projectors and auth run the same few statements on every request. Not for `.iterate()`:
 * a statement being iterated is busy, so an iterator needs a statement of its own.
 */
export function prepared(db: Db, sql: string): Statement {
  let byText = cache.get(db.sqlite);
  if (!byText) {
    byText = new Map();
    cache.set(db.sqlite, byText);
  }
  let stmt = byText.get(sql);
  if (!stmt) {
    stmt = db.sqlite.prepare(sql);
    byText.set(sql, stmt);
  }
  return stmt;
}
