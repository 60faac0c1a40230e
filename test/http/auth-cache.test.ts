import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import * as users from '../../src/modules/users/users.service';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

/**
 * Tokens are looked up once and remembered, and a remembered answer never outlives a change:
 * revoking a token, disabling a user or changing a role takes effect on the very next request,
 * whether it was done through the API or by another process on the same database file.
 */

const t = makeTestApp();

async function newClerk(name: string) {
  const created = await t.http
    .post('/api/v1/users')
    .set(auth(t.tokens.admin))
    .send({ username: name, role: 'clerk' });
  expect(created.status).toBe(201);
  const issued = await t.http
    .post(`/api/v1/users/${created.body.id}/tokens`)
    .set(auth(t.tokens.admin))
    .send({});
  expect(issued.status).toBe(201);
  return {
    id: created.body.id as string,
    token: issued.body.token as string,
    tokenId: issued.body.tokenId as string,
  };
}

const me = (token: string) => t.http.get('/api/v1/users/me').set(auth(token));

describe('remembered tokens', () => {
  it('a token revoked through the API is refused on the next request', async () => {
    const c = await newClerk('cache-revoke');
    expect((await me(c.token)).status).toBe(200);
    expect((await me(c.token)).status).toBe(200);
    const revoked = await t.http
      .post(`/api/v1/tokens/${c.tokenId}/revoke`)
      .set(auth(t.tokens.admin))
      .send({});
    expect(revoked.status).toBeLessThan(300);
    expectProblem(await me(c.token), 401, 'token_invalid');
  });

  it('a user disabled or given another role is seen on the next request', async () => {
    const c = await newClerk('cache-role');
    expect((await me(c.token)).body.role).toBe('clerk');
    const role = await t.http
      .post(`/api/v1/users/${c.id}/role`)
      .set(auth(t.tokens.admin))
      .send({ role: 'auditor' });
    expect(role.status).toBeLessThan(300);
    expect((await me(c.token)).body.role).toBe('auditor');
    const disabled = await t.http.post(`/api/v1/users/${c.id}/disable`).set(auth(t.tokens.admin)).send({});
    expect(disabled.status).toBeLessThan(300);
    expectProblem(await me(c.token), 401, 'account_disabled');
  });

  it('a token revoked by another process on the same file (the CLI) is refused on the next request', async () => {
    const c = await newClerk('cache-cli');
    expect((await me(c.token)).status).toBe(200);
    const other = openDb(t.dbPath);
    const ctx = createContext({ db: other, signer: t.signer, checkpointIntervalMs: 0, checkpointFile: null });
    try {
      ctx.ledger.writeNow((tx) => users.revokeToken(tx, c.tokenId, 'system'));
    } finally {
      await ctx.ledger.close();
      other.sqlite.close();
    }
    expectProblem(await me(c.token), 401, 'token_invalid');
  });
});
