import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDb } from '../../src/db/open';
import { tempDir } from '../helpers/app';

describe('migrations', () => {
  it('match the drizzle schema: generating again finds nothing to migrate', () => {
    const out = join(tempDir(), 'drizzle');
    cpSync(MIGRATIONS_DIR, out, { recursive: true });
    const before = readdirSync(out).sort();
    const run = spawnSync(
      process.execPath,
      [
        'node_modules/drizzle-kit/bin.cjs',
        'generate',
        '--dialect',
        'sqlite',
        '--schema',
        './src/db/schema.ts',
        '--out',
        relative(process.cwd(), out), // drizzle-kit prefixes "./" to the path it is given
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(`${run.stdout}${run.stderr}`).toMatch(/No schema changes/);
  });

  it('apply to a fresh file, twice without harm, with the ledger and search triggers in place', () => {
    const path = join(tempDir(), 'fresh.db');
    openDb(path).sqlite.close();
    const db = openDb(path);
    const triggers = db.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
      .all();
    expect(triggers).toEqual([
      { name: 'checkpoints_no_delete' },
      { name: 'checkpoints_no_update' },
      { name: 'events_no_delete' },
      { name: 'events_no_update' },
      { name: 'items_search_update' },
    ]);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    db.sqlite.close();
  });
});
