import { type Db, openDb } from '../../db/open';

/**
 * One read snapshot of the database for the whole of a streamed report: a second, read-only
 * connection holding a read transaction (WAL lets writers go on). Both layout runs read the same
 * state, so the page count of the first is the page count of the second. An in-memory database has
 * no second connection; it is read directly.
 */
export function openSnapshot(db: Db): { db: Db; close(): void } {
  if (db.path === ':memory:') return { db, close() {} };
  const snap = openDb(db.path, { readonly: true, migrate: false });
  snap.sqlite.prepare('BEGIN').run();
  snap.sqlite.prepare('SELECT seq FROM events ORDER BY seq DESC LIMIT 1').get(); // the snapshot starts at the first read
  return {
    db: snap,
    close() {
      if (snap.sqlite.inTransaction) snap.sqlite.prepare('COMMIT').run();
      snap.sqlite.close();
    },
  };
}
