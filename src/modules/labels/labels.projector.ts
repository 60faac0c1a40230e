import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/open';
import type { Projector } from '../../ledger/types';

const cache = new WeakMap<Sqlite, { insert: Statement; uncut: Statement }>();

function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      // In the job's order: each row's rowid is one more than the one before.
      insert: sqlite.prepare(
        'INSERT OR IGNORE INTO label_prints (evidence_no, seq) SELECT value, ? FROM json_each(?) ORDER BY key',
      ),
      // The job's rows after its first `sent` (by rowid: the job's order), here and in a rebuild alike.
      uncut: sqlite.prepare(
        `DELETE FROM label_prints WHERE rowid IN
           (SELECT rowid FROM label_prints WHERE seq = ? ORDER BY rowid LIMIT -1 OFFSET ?)`,
      ),
    };
    cache.set(sqlite, s);
  }
  return s;
}

/**
 * labels_printed → one label_prints row per item of the job (a job of 67,000 items: 67,000 rows),
 * inserted by one statement over the list as JSON: SQLite walks it, not 67,000 calls from here.
 * labels_print_cut (the client hung up) → the rows of the job's items that were never sent go.
 */
export const labelsProjector: Projector = {
  name: 'labels',
  tables: ['label_prints'],
  types: ['labels_printed', 'labels_print_cut'],
  apply(db, event) {
    if (event.type === 'labels_print_cut') {
      const { jobSeq, itemsSent } = event.data;
      if (typeof jobSeq === 'number' && typeof itemsSent === 'number')
        statements(db.sqlite).uncut.run(jobSeq, itemsSent);
      return;
    }
    const items = event.data.items;
    if (!Array.isArray(items) || items.length === 0) return;
    statements(db.sqlite).insert.run(event.seq, JSON.stringify(items));
  },
};
