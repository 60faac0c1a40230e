import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { sha256Hex } from '../../ledger/hash';
import type { Actor, Tx } from '../../ledger/types';
import { afterKey, decodeCursor, encodeCursor, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Role } from './roles';

/** Who a request or command acts as: the user its token (or the shell) names. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/** Every token starts with this, so a leaked one is recognisable (and secret scanners can match it). */
export const TOKEN_PREFIX = 'cdy_';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  disabled: number;
}

const toView = (r: UserRow): UserView => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled === 1,
});

export function findUser(db: Db, idOrUsername: string): UserView | null {
  const row = prepared(db, 'SELECT * FROM users WHERE id = ? OR username = ?').get(
    idOrUsername,
    idOrUsername,
  ) as UserRow | undefined;
  return row ? toView(row) : null;
}

export function getUser(db: Db, idOrUsername: string): UserView {
  const user = findUser(db, idOrUsername);
  if (!user) throw new AppError('user_not_found', `no user "${idOrUsername}"`);
  return user;
}

export function listUsers(db: Db): UserView[] {
  return (prepared(db, 'SELECT * FROM users ORDER BY created_seq').all() as UserRow[]).map(toView);
}

/** Users in the order they were created, a keyset page at a time (GET /users). */
export function listUsersPage(db: Db, q: { limit: number; cursor?: string | undefined }) {
  const rows = prepared(db, 'SELECT * FROM users WHERE created_seq > ? ORDER BY created_seq LIMIT ?').all(
    afterKey(q.cursor),
    q.limit + 1,
  ) as (UserRow & { created_seq: number })[];
  const page = keyPage(rows, q.limit, (r) => r.created_seq);
  return { items: page.items.map(toView), nextCursor: page.nextCursor };
}

export function countUsers(db: Db): number {
  return (prepared(db, 'SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

/** Display names for a set of user ids (history views show who, not an id). */
export function userNames(db: Db, ids: Iterable<string>): Map<string, string> {
  const stmt = prepared(db, 'SELECT display_name FROM users WHERE id = ?');
  const names = new Map<string, string>();
  for (const id of ids) {
    if (names.has(id)) continue;
    const row = stmt.get(id) as { display_name: string } | undefined;
    names.set(id, row ? row.display_name : id);
  }
  return names;
}

export function createUser(
  tx: Tx,
  input: { username: string; displayName?: string | undefined; role: Role },
  actor: Actor,
): UserView {
  if (findUser(tx.db, input.username))
    throw new AppError('username_taken', `the username "${input.username}" is taken`);
  const id = newId('usr');
  tx.append({
    type: 'user_created',
    entityType: 'user',
    entityId: id,
    actor,
    data: { username: input.username, displayName: input.displayName ?? input.username, role: input.role },
  });
  return getUser(tx.db, id);
}

/**
 * Refuses (409 last_admin) a change that would leave no enabled admin: with none, every admin
 * route is closed and only the shell (`custody user enable|role`) could open it again.
 */
function keepAnAdmin(db: Db, user: UserView, change: string): void {
  if (user.role !== 'admin' || user.disabled) return;
  const n = (
    prepared(db, "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as {
      n: number;
    }
  ).n;
  if (n <= 1) {
    throw new AppError('last_admin', `${user.username} is the last enabled admin and cannot be ${change}`, {
      userId: user.id,
    });
  }
}

export function changeRole(tx: Tx, userId: string, role: Role, actor: Actor): UserView {
  const user = getUser(tx.db, userId);
  if (user.role !== role) {
    keepAnAdmin(tx.db, user, `made ${role}`);
    tx.append({
      type: 'user_role_changed',
      entityType: 'user',
      entityId: user.id,
      actor,
      data: { from: user.role, role },
    });
  }
  return getUser(tx.db, user.id);
}

export function setDisabled(tx: Tx, userId: string, disabled: boolean, actor: Actor): UserView {
  const user = getUser(tx.db, userId);
  if (user.disabled !== disabled) {
    if (disabled) keepAnAdmin(tx.db, user, 'disabled');
    tx.append({
      type: disabled ? 'user_disabled' : 'user_enabled',
      entityType: 'user',
      entityId: user.id,
      actor,
      data: {},
    });
  }
  return getUser(tx.db, user.id);
}

/**
 * Issues a token: 32 random bytes, base64url, after a recognisable prefix. The ledger records the
 * token's id and prefix; only the SHA-256 of the secret is stored, in `credentials`, never the secret.
 */
export function issueToken(tx: Tx, userId: string, actor: Actor) {
  const user = getUser(tx.db, userId);
  if (user.disabled) {
    // Its token would answer 401 account_disabled: say so now rather than hand out one that cannot work.
    throw new AppError(
      'user_disabled',
      `the user "${user.username}" is disabled; enable it first (POST /users/{id}/enable, or "custody user enable ${user.username}" on the server)`,
      {
        userId: user.id,
      },
    );
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const tokenId = newId('tok');
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  tx.append({
    type: 'token_issued',
    entityType: 'user',
    entityId: user.id,
    actor,
    data: { tokenId, prefix },
  });
  prepared(tx.db, 'INSERT INTO credentials (token_id, secret_hash) VALUES (?, ?)').run(
    tokenId,
    sha256Hex(token),
  );
  return { tokenId, userId: user.id, prefix, token };
}

export interface TokenView {
  id: string;
  userId: string;
  prefix: string;
  issuedAt: string;
  revokedAt: string | null;
}

/** A user's tokens, oldest first, a page at a time (keyset on issue time, then id). */
export function listTokens(db: Db, userId: string, q: { limit: number; cursor?: string | undefined }) {
  const user = getUser(db, userId);
  const after = q.cursor ? decodeCursor<{ t: string; i: string }>(q.cursor, ['t', 'i']) : null;
  const rows = prepared(
    db,
    `SELECT id, user_id AS userId, prefix, issued_at AS issuedAt, revoked_at AS revokedAt FROM api_tokens
       WHERE user_id = @user AND (@t IS NULL OR issued_at > @t OR (issued_at = @t AND id > @i))
       ORDER BY issued_at, id LIMIT @limit`,
  ).all({ user: user.id, t: after?.t ?? null, i: after?.i ?? null, limit: q.limit + 1 }) as TokenView[];
  const more = rows.length > q.limit;
  const items = more ? rows.slice(0, q.limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor({ t: last.issuedAt, i: last.id }) : null };
}

export function revokeToken(tx: Tx, tokenId: string, actor: Actor): void {
  const row = prepared(tx.db, 'SELECT user_id, revoked_at FROM api_tokens WHERE id = ?').get(tokenId) as
    | { user_id: string; revoked_at: string | null }
    | undefined;
  if (!row) throw new AppError('token_not_found', `no token "${tokenId}"`);
  if (row.revoked_at) return;
  tx.append({ type: 'token_revoked', entityType: 'user', entityId: row.user_id, actor, data: { tokenId } });
}

export function authenticateToken(db: Db, token: string): AuthUser {
  const row = prepared(
    db,
    `SELECT u.id, u.username, u.display_name, u.role, u.disabled, t.revoked_at
       FROM credentials c JOIN api_tokens t ON t.id = c.token_id JOIN users u ON u.id = t.user_id
       WHERE c.secret_hash = ?`,
  ).get(sha256Hex(token)) as (UserRow & { revoked_at: string | null }) | undefined;
  if (!row || row.revoked_at)
    throw new AppError('token_invalid', 'the API token is not valid or was revoked');
  if (row.disabled) throw new AppError('account_disabled', 'this account is disabled');
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

/** On a first start with no users: an `admin` user and a token, shown once. */
export function bootstrapAdmin(tx: Tx): { username: string; token: string } | null {
  if (countUsers(tx.db) > 0) return null;
  const admin = createUser(tx, { username: 'admin', displayName: 'Administrator', role: 'admin' }, 'system');
  return { username: admin.username, token: issueToken(tx, admin.id, 'system').token };
}
