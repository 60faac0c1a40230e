import type { Db } from '../../db/open';
import type { Projector } from '../../ledger/types';
import { USER_EVENTS } from './users.projector';

/**
 * How many user and token events this process has applied to each database: a token cache (the
 * edge's, src/http/auth.ts) compares it to know that a token was revoked or a user disabled or
 * given another role since it looked. A unit that is rolled back still counts: one needless
 * lookup, never a stale answer. Changes made by another process are seen through SQLite's
 * `PRAGMA data_version` instead.
 */
const versions = new WeakMap<Db, number>();

export const credentialsVersionProjector: Projector = {
  name: 'credentials-version',
  tables: [],
  types: USER_EVENTS,
  apply(db) {
    versions.set(db, (versions.get(db) ?? 0) + 1);
  },
};

export function credentialsVersion(db: Db): number {
  return versions.get(db) ?? 0;
}
