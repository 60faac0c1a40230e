import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

// The test app holds exactly one admin (admin1) and one user of every other role.
const t = makeTestApp();
const admin = () => auth(t.tokens.admin);

describe('the last enabled admin', () => {
  it('cannot disable itself or be demoted: 409 last_admin, nothing written', async () => {
    const before = t.head();
    const off = await t.http.post(`/api/v1/users/${t.userIds.admin}/disable`).set(admin());
    expectProblem(off, 409, 'last_admin');
    const demoted = await t.http
      .post(`/api/v1/users/${t.userIds.admin}/role`)
      .set(admin())
      .send({ role: 'clerk' });
    expectProblem(demoted, 409, 'last_admin');
    expect(t.head()).toBe(before);
    expect((await t.http.get('/api/v1/users/me').set(admin())).body).toMatchObject({
      role: 'admin',
      disabled: false,
    });
  });

  it('can step down once another admin is enabled, and that one is then the last', async () => {
    const second = await t.http
      .post(`/api/v1/users/${t.userIds.supervisor}/role`)
      .set(admin())
      .send({ role: 'admin' });
    expect(second.status).toBe(200);
    const off = await t.http.post(`/api/v1/users/${t.userIds.admin}/disable`).set(admin());
    expect(off.body).toMatchObject({ disabled: true });
    const before = t.head();
    const last = await t.http
      .post(`/api/v1/users/${t.userIds.supervisor}/disable`)
      .set(auth(t.tokens.supervisor));
    expectProblem(last, 409, 'last_admin');
    expect(t.head()).toBe(before);
  });

  it('issues no token to a disabled user (409 user_disabled)', async () => {
    const before = t.head();
    const res = await t.http.post(`/api/v1/users/${t.userIds.admin}/tokens`).set(auth(t.tokens.supervisor));
    expectProblem(res, 409, 'user_disabled');
    expect(res.body.detail).toContain('custody user enable admin1');
    expect(t.head()).toBe(before);
  });
});
