import type { Db } from '../db/open';
import { prepared } from '../db/statements';

/** 5 wrong passwords for one username within 15 minutes lock it for 15 minutes; 30 from one address lock that. */
export const LOCK_AFTER = { user: 5, ip: 30 } as const;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

interface Row {
  failures: number;
  first_at: string;
  locked_until: string | null;
}

/** When the key is locked until, or null. */
export function lockedUntil(db: Db, key: string, now: Date): Date | null {
  const row = prepared(db, 'SELECT locked_until FROM sign_in_failures WHERE key = ?').get(key) as
    | Pick<Row, 'locked_until'>
    | undefined;
  if (!row?.locked_until) return null;
  const until = new Date(row.locked_until);
  return until > now ? until : null;
}

/** Counts a failure; answers true when this failure locks the key. */
export function recordFailure(db: Db, key: string, limit: number, now: Date): boolean {
  const row = prepared(db, 'SELECT failures, first_at, locked_until FROM sign_in_failures WHERE key = ?').get(
    key,
  ) as Row | undefined;
  const fresh =
    !row || now.getTime() - Date.parse(row.first_at) > FAILURE_WINDOW_MS || row.locked_until !== null;
  const failures = fresh ? 1 : row.failures + 1;
  const locks = failures >= limit;
  prepared(
    db,
    `INSERT INTO sign_in_failures (key, failures, first_at, locked_until) VALUES (@key, @failures, @firstAt, @lockedUntil)
       ON CONFLICT (key) DO UPDATE SET failures = @failures, first_at = @firstAt, locked_until = @lockedUntil`,
  ).run({
    key,
    failures,
    firstAt: fresh ? now.toISOString() : row.first_at,
    lockedUntil: locks ? new Date(now.getTime() + LOCK_MS).toISOString() : null,
  });
  return locks;
}

export function clearFailures(db: Db, key: string): void {
  prepared(db, 'DELETE FROM sign_in_failures WHERE key = ?').run(key);
}
