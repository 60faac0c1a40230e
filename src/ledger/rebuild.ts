import type { Db } from '../db/open';
import { rebuildTiles } from './tiles';
import type { Projector } from './types';
import { rebuildInto, withScratchDb } from './verify';

/**
 * Replaces every projection table with a rebuild from the ledger, in one transaction.
 * Run it with the service stopped: it is the repair for a projection that `verify` reports.
 */
export function rebuildProjections(db: Db, projectors: readonly Projector[]): number {
  return withScratchDb((scratch, path) => {
    const n = rebuildInto(db, scratch, projectors);
    scratch.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const tables = projectors.flatMap((p) => p.tables);
    db.sqlite.pragma('foreign_keys = OFF');
    db.sqlite.prepare('ATTACH DATABASE ? AS rebuilt').run(path);
    try {
      db.sqlite.transaction(() => {
        for (const t of [...tables].reverse()) db.sqlite.prepare(`DELETE FROM main."${t}"`).run();
        for (const t of tables)
          db.sqlite.prepare(`INSERT INTO main."${t}" SELECT * FROM rebuilt."${t}"`).run();
        for (const t of projectors.flatMap((p) => p.derived ?? [])) {
          const columns = (db.sqlite.prepare(`PRAGMA main.table_info("${t}")`).all() as { name: string }[])
            .map((c) => `"${c.name}"`)
            .join(', ');
          db.sqlite.prepare(`DELETE FROM main."${t}"`).run();
          db.sqlite
            .prepare(
              `INSERT INTO main."${t}" (rowid, ${columns}) SELECT rowid, ${columns} FROM rebuilt."${t}"`,
            )
            .run();
        }
      })();
    } finally {
      db.sqlite.prepare('DETACH DATABASE rebuilt').run();
      db.sqlite.pragma('foreign_keys = ON');
    }
    rebuildTiles(db);
    return n;
  });
}
