import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fromRoot } from '../lib/paths';
import * as schema from './schema';

export type Sqlite = Database.Database;
export type Orm = BetterSQLite3Database<typeof schema>;

export interface Db {
  sqlite: Sqlite;
  orm: Orm;
  /** File path, or ':memory:'. */
  path: string;
}

export const MIGRATIONS_DIR = fromRoot('drizzle');

/**
 * Opens (creating if needed) the SQLite file with the pragmas the ledger relies on:
 * WAL for concurrent readers, synchronous=FULL so an acknowledged commit survives power loss,
 * foreign keys on, and a busy timeout so a backup or CLI beside the service waits instead of failing.
 */
export function openDb(path: string, options: { migrate?: boolean; readonly?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const orm = drizzle(sqlite, { schema });
  const db = { sqlite, orm, path };
  if (options.migrate ?? !options.readonly) migrateDb(db);
  return db;
}

export function migrateDb(db: Db): void {
  migrate(db.orm, { migrationsFolder: MIGRATIONS_DIR });
}
