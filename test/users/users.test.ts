import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/ledger/events-read';
import { sha256Hex } from '../../src/ledger/hash';
import { ROLES } from '../../src/modules/users/roles';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();
const admin = () => auth(t.tokens.admin);

/** The events appended since `seq`, oldest first. */
function eventsAfter(seq: number): EventRow[] {
  return t.app.locals.ctx.db.sqlite
    .prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq')
    .all(seq) as EventRow[];
}

async function createUser(username: string, role = 'clerk', displayName?: string) {
  const res = await t.http
    .post('/api/v1/users')
    .set(admin())
    .send({ username, role, ...(displayName ? { displayName } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; username: string; role: string; disabled: boolean };
}

async function issueToken(userId: string) {
  const res = await t.http.post(`/api/v1/users/${userId}/tokens`).set(admin());
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { tokenId: string; userId: string; prefix: string; token: string };
}

/** Every byte of the database, WAL included (a fresh write may not be checkpointed into the file yet). */
function databaseBytes(): Buffer {
  const parts = [t.dbPath, `${t.dbPath}-wal`, `${t.dbPath}-journal`].filter((p) => existsSync(p));
  return Buffer.concat(parts.map((p) => readFileSync(p)));
}

describe('POST /users', () => {
  it('creates a user as a ledger event with the admin as actor', async () => {
    const before = t.head();
    const user = await createUser('olga.k', 'supervisor', 'Olga Kim');
    expect(user).toMatchObject({ username: 'olga.k', role: 'supervisor', disabled: false });
    expect(user.id).toMatch(/^usr_/);
    const events = eventsAfter(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'user_created',
      entity_type: 'user',
      entity_id: user.id,
      actor: t.userIds.admin,
    });
    expect(JSON.parse(events[0]!.data)).toEqual({
      username: 'olga.k',
      displayName: 'Olga Kim',
      role: 'supervisor',
    });
  });

  it('refuses a taken username with 409 username_taken, writing nothing', async () => {
    await createUser('dup.user');
    const before = t.head();
    const res = await t.http.post('/api/v1/users').set(admin()).send({ username: 'dup.user', role: 'clerk' });
    expectProblem(res, 409, 'username_taken');
    expect(t.head()).toBe(before);
  });

  it.each([
    ['an unknown role', { username: 'x1', role: 'root' }],
    ['an upper-case username', { username: 'Olga', role: 'clerk' }],
    ['an unknown field', { username: 'x2', role: 'clerk', password: 'hunter2' }],
    ['a missing role', { username: 'x3' }],
  ])('refuses %s with validation_failed', async (_name, body) => {
    const before = t.head();
    expectProblem(await t.http.post('/api/v1/users').set(admin()).send(body), 400, 'validation_failed');
    expect(t.head()).toBe(before);
  });

  it('refuses a role given as the actor: the actor is always the token’s user', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/users')
      .set(admin())
      .send({ username: 'sneaky', role: 'admin', actor: 'system' });
    expectProblem(res, 400, 'actor_not_allowed');
    expect(t.head()).toBe(before);
  });
});

describe('GET /users, /users/:userId, /users/me', () => {
  it('lists every user for an admin, without any token material', async () => {
    const res = await t.http.get('/api/v1/users').set(admin());
    expect(res.status).toBe(200);
    const names = res.body.items.map((u: { username: string }) => u.username);
    for (const role of ROLES) expect(names).toContain(`${role}1`);
    expect(JSON.stringify(res.body)).not.toMatch(/cdy_|secret|hash/i);
  });

  it('shows one user by id or by username', async () => {
    const byId = await t.http.get(`/api/v1/users/${t.userIds.auditor}`).set(admin());
    expect(byId.body).toMatchObject({ id: t.userIds.auditor, role: 'auditor' });
    const byName = await t.http.get('/api/v1/users/auditor1').set(admin());
    expect(byName.body.id).toBe(t.userIds.auditor);
    expectProblem(await t.http.get('/api/v1/users/nobody').set(admin()), 404, 'user_not_found');
  });

  it('tells every role who its token belongs to', async () => {
    for (const role of ROLES) {
      const res = await t.http.get('/api/v1/users/me').set(auth(t.tokens[role]));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: t.userIds[role], role, username: `${role}1` });
    }
  });
});

describe('POST /users/:userId/role', () => {
  it('changes the role as an event, and the new role applies to the user’s existing tokens', async () => {
    const user = await createUser('promotee');
    const { token } = await issueToken(user.id);
    expectProblem(await t.http.post('/api/v1/cases/x/status').set(auth(token)).send({}), 403, 'forbidden');
    const before = t.head();
    const res = await t.http.post(`/api/v1/users/${user.id}/role`).set(admin()).send({ role: 'supervisor' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('supervisor');
    expect(eventsAfter(before)).toEqual([
      expect.objectContaining({ type: 'user_role_changed', entity_id: user.id, actor: t.userIds.admin }),
    ]);
    expect(JSON.parse(eventsAfter(before)[0]!.data)).toEqual({ from: 'clerk', role: 'supervisor' });
    const me = await t.http.get('/api/v1/users/me').set(auth(token));
    expect(me.body.role).toBe('supervisor');
  });

  it('writes nothing when the role is already the one asked for', async () => {
    const user = await createUser('samerole', 'auditor');
    const before = t.head();
    const res = await t.http.post(`/api/v1/users/${user.id}/role`).set(admin()).send({ role: 'auditor' });
    expect(res.status).toBe(200);
    expect(t.head()).toBe(before);
  });

  it('refuses an unknown user with 404 and an unknown role with 400', async () => {
    const before = t.head();
    expectProblem(
      await t.http.post('/api/v1/users/usr_nope/role').set(admin()).send({ role: 'clerk' }),
      404,
      'user_not_found',
    );
    expectProblem(
      await t.http.post(`/api/v1/users/${t.userIds.clerk}/role`).set(admin()).send({ role: 'god' }),
      400,
      'validation_failed',
    );
    expect(t.head()).toBe(before);
  });
});

describe('POST /users/:userId/disable and /enable', () => {
  it('records each as an event by the admin; the token is refused while disabled', async () => {
    const user = await createUser('leaver');
    const { token } = await issueToken(user.id);
    const before = t.head();
    const off = await t.http.post(`/api/v1/users/${user.id}/disable`).set(admin());
    expect(off.body).toMatchObject({ id: user.id, disabled: true });
    expectProblem(await t.http.get('/api/v1/users/me').set(auth(token)), 401, 'account_disabled');
    const on = await t.http.post(`/api/v1/users/${user.id}/enable`).set(admin());
    expect(on.body).toMatchObject({ id: user.id, disabled: false });
    expect((await t.http.get('/api/v1/users/me').set(auth(token))).status).toBe(200);
    expect(eventsAfter(before).map((e) => [e.type, e.entity_id, e.actor])).toEqual([
      ['user_disabled', user.id, t.userIds.admin],
      ['user_enabled', user.id, t.userIds.admin],
    ]);
  });

  it('writes nothing when disabling a disabled user again', async () => {
    const user = await createUser('twice');
    await t.http.post(`/api/v1/users/${user.id}/disable`).set(admin());
    const before = t.head();
    expect((await t.http.post(`/api/v1/users/${user.id}/disable`).set(admin())).status).toBe(200);
    expect(t.head()).toBe(before);
  });
});

describe('tokens', () => {
  it('issues a cdy_ token of at least 32 random bytes, recorded as an event without the secret', async () => {
    const user = await createUser('tokenholder', 'prosecutor');
    const before = t.head();
    const issued = await issueToken(user.id);
    expect(issued.token).toMatch(/^cdy_[A-Za-z0-9_-]+$/);
    expect(Buffer.from(issued.token.slice(4), 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(issued.token.startsWith(issued.prefix)).toBe(true);
    expect(issued.prefix.length).toBeLessThan(16);
    const events = eventsAfter(before);
    expect(events).toEqual([
      expect.objectContaining({ type: 'token_issued', entity_id: user.id, actor: t.userIds.admin }),
    ]);
    expect(JSON.parse(events[0]!.data)).toEqual({ tokenId: issued.tokenId, prefix: issued.prefix });
    const me = await t.http.get('/api/v1/users/me').set(auth(issued.token));
    expect(me.body.id).toBe(user.id);
  });

  it('never issues the same token twice', async () => {
    const user = await createUser('manytokens');
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add((await issueToken(user.id)).token);
    expect(tokens.size).toBe(20);
  });

  it('stores only the SHA-256 of a token: the secret is nowhere in the database file', async () => {
    const user = await createUser('hashonly');
    const { token, tokenId } = await issueToken(user.id);
    const row = t.app.locals.ctx.db.sqlite
      .prepare('SELECT secret_hash FROM credentials WHERE token_id = ?')
      .get(tokenId) as { secret_hash: string };
    expect(row.secret_hash).toBe(sha256Hex(token));
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from(sha256Hex(token)))).toBe(true); // the check can see the table
    expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(bytes.includes(Buffer.from(token.slice(4)))).toBe(false);
    t.app.locals.ctx.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes().includes(Buffer.from(token))).toBe(false);
  });

  it('never puts a token or its hash in the ledger export', async () => {
    const user = await createUser('exported');
    const { token } = await issueToken(user.id);
    const res = await t.http.get('/api/v1/ledger/export').set(auth(t.tokens.auditor));
    expect(res.status).toBe(200);
    const text = res.text;
    expect(text).toContain('"token_issued"');
    for (const secret of [token, token.slice(4), sha256Hex(token), t.tokens.admin, t.tokens.clerk]) {
      expect(text).not.toContain(secret);
    }
  });

  it('lists a user’s tokens by id and prefix, never the secret', async () => {
    const user = await createUser('lister');
    const a = await issueToken(user.id);
    const b = await issueToken(user.id);
    const res = await t.http.get(`/api/v1/users/${user.id}/tokens`).set(admin());
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: a.tokenId, userId: user.id, prefix: a.prefix, revokedAt: null }),
      expect.objectContaining({ id: b.tokenId, userId: user.id, prefix: b.prefix, revokedAt: null }),
    ]);
    expect(res.text).not.toContain(a.token);
    expect(res.text).not.toContain(sha256Hex(a.token));
  });

  it('revokes a token as an event by the admin; revoking again writes nothing', async () => {
    const user = await createUser('revoked');
    const { token, tokenId } = await issueToken(user.id);
    const before = t.head();
    expect((await t.http.post(`/api/v1/tokens/${tokenId}/revoke`).set(admin())).status).toBe(204);
    expect(eventsAfter(before)).toEqual([
      expect.objectContaining({ type: 'token_revoked', entity_id: user.id, actor: t.userIds.admin }),
    ]);
    expect(JSON.parse(eventsAfter(before)[0]!.data)).toEqual({ tokenId });
    expectProblem(await t.http.get('/api/v1/users/me').set(auth(token)), 401, 'token_invalid');
    const list = await t.http.get(`/api/v1/users/${user.id}/tokens`).set(admin());
    expect(list.body.items[0].revokedAt).toEqual(expect.any(String));
    const head = t.head();
    expect((await t.http.post(`/api/v1/tokens/${tokenId}/revoke`).set(admin())).status).toBe(204);
    expect(t.head()).toBe(head);
    expectProblem(await t.http.post('/api/v1/tokens/tok_nope/revoke').set(admin()), 404, 'token_not_found');
  });

  it('refuses to issue a token for an unknown user', async () => {
    const before = t.head();
    expectProblem(await t.http.post('/api/v1/users/usr_nope/tokens').set(admin()), 404, 'user_not_found');
    expect(t.head()).toBe(before);
  });
});

describe('admin endpoints refuse every other role', () => {
  const calls: [string, string, object?][] = [
    ['post', '/api/v1/users', { username: 'intruder', role: 'admin' }],
    ['get', '/api/v1/users'],
    ['get', '/api/v1/users/admin1'],
    ['post', '/api/v1/users/admin1/role', { role: 'clerk' }],
    ['post', '/api/v1/users/admin1/disable'],
    ['post', '/api/v1/users/admin1/enable'],
    ['post', '/api/v1/users/admin1/tokens'],
    ['get', '/api/v1/users/admin1/tokens'],
    ['post', '/api/v1/tokens/tok_any/revoke'],
  ];
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    it(`answers a ${role} with 403 forbidden and writes nothing`, async () => {
      const before = t.head();
      for (const [method, path, body] of calls) {
        let req = t.http[method as 'get' | 'post'](path).set(auth(t.tokens[role]));
        if (body) req = req.send(body);
        expectProblem(await req, 403, 'forbidden');
      }
      expect(t.head()).toBe(before);
    });
  }
});
