import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { sha256Hex } from '../ledger/hash';
import { newId } from '../lib/ids';
import type { Role } from '../modules/users/roles';
import type { AuthUser } from '../modules/users/users.service';
import { isLang, type Lang } from './i18n';

/** A session ends after 2 hours without a request, and 12 hours (a long shift) after sign-in at the latest. */
export const SESSION_IDLE_MS = 2 * 3600_000;
export const SESSION_MAX_MS = 12 * 3600_000;
export const SESSION_COOKIE = 'custody_session';

export interface Session {
  id: string;
  user: AuthUser;
  csrfToken: string;
  lang: Lang | null;
}

export type SessionLookup = { state: 'valid'; session: Session } | { state: 'expired' } | { state: 'none' };

interface Row {
  id: string;
  csrf_token: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  user_id: string;
  username: string;
  display_name: string;
  role: Role;
  disabled: number;
  lang: string | null;
}

/** A new session: the cookie secret is returned once; the table keeps its SHA-256. */
export function createSession(db: Db, userId: string, now: Date): { id: string; secret: string } {
  const id = newId('ses');
  const secret = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  prepared(
    db,
    `INSERT INTO web_sessions (id, secret_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    sha256Hex(secret),
    userId,
    randomBytes(24).toString('base64url'),
    at,
    at,
    new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
  );
  return { id, secret };
}

/** The session a cookie names, touching its idle clock; an ended, idle or disabled one is over. */
export function lookupSession(db: Db, secret: string | undefined, now: Date): SessionLookup {
  if (!secret || secret.length > 100) return { state: 'none' };
  const row = prepared(
    db,
    `SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, s.ended_at, s.user_id,
            u.username, u.display_name, u.role, u.disabled, p.lang
       FROM web_sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN web_preferences p ON p.user_id = s.user_id
      WHERE s.secret_hash = ?`,
  ).get(sha256Hex(secret)) as Row | undefined;
  if (!row) return { state: 'none' };
  const t = now.getTime();
  if (
    row.ended_at ||
    row.disabled ||
    t >= Date.parse(row.expires_at) ||
    t - Date.parse(row.last_seen_at) >= SESSION_IDLE_MS
  )
    return { state: 'expired' };
  // Touch at most once a minute: a page's burst of requests costs one write.
  if (t - Date.parse(row.last_seen_at) > 60_000)
    prepared(db, 'UPDATE web_sessions SET last_seen_at = ? WHERE id = ?').run(now.toISOString(), row.id);
  return {
    state: 'valid',
    session: {
      id: row.id,
      csrfToken: row.csrf_token,
      lang: isLang(row.lang) ? row.lang : null,
      user: { id: row.user_id, username: row.username, displayName: row.display_name, role: row.role },
    },
  };
}

export function endSession(db: Db, sessionId: string, now: Date): void {
  prepared(db, 'UPDATE web_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(
    now.toISOString(),
    sessionId,
  );
}

/** After a password change or reset, the user's other sessions end: whoever knew the old one is out. */
export function endSessionsOf(db: Db, userId: string, now: Date, except?: string): void {
  prepared(db, 'UPDATE web_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL AND id != ?').run(
    now.toISOString(),
    userId,
    except ?? '',
  );
}

export function setLanguage(db: Db, userId: string, lang: Lang): void {
  prepared(
    db,
    'INSERT INTO web_preferences (user_id, lang) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang',
  ).run(userId, lang);
}

export function languageOf(db: Db, userId: string): Lang | null {
  const row = prepared(db, 'SELECT lang FROM web_preferences WHERE user_id = ?').get(userId) as
    | { lang: string }
    | undefined;
  return row && isLang(row.lang) ? row.lang : null;
}
