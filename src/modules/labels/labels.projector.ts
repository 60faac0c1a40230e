import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/open';
import type { Projector } from '../../ledger/types';

const cache = new WeakMap<Sqlite, Statement>();

/**
 * labels_printed → one label_prints row per item of the job (a job of 67,000 items: 67,000 rows),
 * inserted by one statement over the list as JSON: SQLite walks it, not 67,000 calls from here.
 */
export const labelsProjector: Projector = {
  name: 'labels',
  tables: ['label_prints'],
  types: ['labels_printed'],
  apply(db, event) {
    const items = event.data.items;
    if (!Array.isArray(items) || items.length === 0) return;
    let insert = cache.get(db.sqlite);
    if (!insert) {
      insert = db.sqlite.prepare(
        'INSERT OR IGNORE INTO label_prints (evidence_no, seq) SELECT value, ? FROM json_each(?)',
      );
      cache.set(db.sqlite, insert);
    }
    insert.run(event.seq, JSON.stringify(items));
  },
};
