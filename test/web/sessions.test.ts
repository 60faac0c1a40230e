import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { caseBody } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { csrfOf, eventsOfType, givePasswords, PASSWORD, signIn, signInToken } from './helpers';

const t = makeTestApp();
beforeAll(() => givePasswords(t, ['clerk', 'supervisor', 'prosecutor', 'admin']));

const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith('custody_session='));

describe('POST /signin', () => {
  it('signs in with the right password: a session cookie and a user_signed_in event', async () => {
    const before = eventsOfType(t, 'user_signed_in').length;
    const { agent, res } = await signIn(t, 'clerk1');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const events = eventsOfType(t, 'user_signed_in');
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)!.entity_id).toBe(t.userIds.clerk);
    const home = await agent.get('/').set('Accept', 'text/html');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Test clerk');
  });

  it('marks the cookie Secure behind a TLS proxy', async () => {
    const agent = request.agent(t.app);
    const token = await signInToken(agent);
    const res = await agent
      .post('/signin')
      .set('X-Forwarded-Proto', 'https')
      .type('form')
      .send({ _csrf: token, username: 'clerk1', password: PASSWORD });
    expect(sessionCookie(res)).toMatch(/; Secure/);
  });

  it('refuses a wrong password with a message on the page, and writes nothing', async () => {
    const head = t.head();
    const { res } = await signIn(t, 'supervisor1', 'not the password');
    expect(res.status).toBe(401);
    expect(res.text).toContain('The username or password is wrong.');
    expect(sessionCookie(res)).toBeUndefined();
    expect(t.head()).toBe(head);
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const { res } = await signIn(t, 'nobody.here', 'whatever it is');
    expect(res.status).toBe(401);
    expect(res.text).toContain('The username or password is wrong.');
  });

  it('refuses a sign-in form without its CSRF token', async () => {
    const head = t.head();
    const agent = request.agent(t.app);
    await signInToken(agent);
    const res = await agent
      .post('/signin')
      .type('form')
      .send({ username: 'clerk1', password: PASSWORD, lang: 'en' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('security token');
    expect(sessionCookie(res)).toBeUndefined();
    expect(t.head()).toBe(head);
  });

  it('speaks the language the browser asks for', async () => {
    const page = await request(t.app).get('/signin').set('Accept-Language', 'kk-KZ,kk;q=0.9,ru;q=0.8');
    expect(page.text).toContain('<html lang="kk">');
    expect(page.text).toContain('Құпиясөз');
    const ru = await request(t.app).get('/signin').set('Accept-Language', 'de-DE,ru;q=0.5');
    expect(ru.text).toContain('<html lang="ru">');
  });

  it('keeps the user’s language, unless they pick one on the sign-in page', async () => {
    await signIn(t, 'admin1', PASSWORD, 'kk');
    const agent = request.agent(t.app);
    const token = await signInToken(agent, 'en');
    await agent
      .post('/signin')
      .type('form')
      .send({ _csrf: token, username: 'admin1', password: PASSWORD, lang: 'en' });
    expect((await agent.get('/account').set('Accept', 'text/html')).text).toContain('<html lang="kk">');
    const chosen = request.agent(t.app);
    const page = await chosen.get('/signin?lang=en');
    expect(page.text).toContain('name="chosen" value="1"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await chosen
      .post('/signin')
      .type('form')
      .send({ _csrf: csrf, username: 'admin1', password: PASSWORD, lang: 'en', chosen: '1' });
    expect((await chosen.get('/account').set('Accept', 'text/html')).text).toContain('<html lang="en">');
  });

  it('locks a username after 5 wrong passwords, even against the right one, then lets it in after 15 minutes', async () => {
    const start = new Date();
    t.setNow(start);
    try {
      for (let n = 1; n <= 4; n++)
        expect((await signIn(t, 'prosecutor1', `wrong password ${n}`)).res.status).toBe(401);
      const fifth = await signIn(t, 'prosecutor1', 'wrong password 5');
      expect(fifth.res.status).toBe(429);
      expect(fifth.res.headers['retry-after']).toBeDefined();
      expect(fifth.res.text).toContain('locked until');
      expect(eventsOfType(t, 'user_sign_in_locked').map((e) => e.entity_id)).toContain(t.userIds.prosecutor);
      const head = t.head();
      const right = await signIn(t, 'prosecutor1');
      expect(right.res.status).toBe(429);
      expect(sessionCookie(right.res)).toBeUndefined();
      expect(t.head()).toBe(head);
      t.setNow(new Date(start.getTime() + 16 * 60_000));
      expect((await signIn(t, 'prosecutor1')).res.status).toBe(303);
    } finally {
      t.setNow(new Date());
    }
  });
});

describe('sessions', () => {
  it('expire after 2 hours idle: pages send to the sign-in page saying so, the API answers session_expired', async () => {
    const start = new Date();
    t.setNow(start);
    try {
      const { agent } = await signIn(t, 'clerk1');
      t.setNow(new Date(start.getTime() + 90 * 60_000));
      expect((await agent.get('/cases').set('Accept', 'text/html')).status).toBe(200);
      t.setNow(new Date(start.getTime() + 90 * 60_000 + 2 * 3600_000 + 1000));
      const page = await agent.get('/cases').set('Accept', 'text/html');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/signin?expired=1&next=%2Fcases');
      const signinPage = await agent.get(String(page.headers.location)).set('Accept-Language', 'en');
      expect(signinPage.text).toContain('Your session has expired.');
      expectProblem(await agent.get('/api/v1/cases'), 401, 'session_expired');
    } finally {
      t.setNow(new Date());
    }
  });

  it('end 12 hours after sign-in however busy', async () => {
    const start = new Date();
    t.setNow(start);
    try {
      const { agent } = await signIn(t, 'clerk1');
      for (let h = 1; h <= 11; h++) {
        t.setNow(new Date(start.getTime() + h * 3600_000));
        expect((await agent.get('/api/v1/cases')).status).toBe(200);
      }
      t.setNow(new Date(start.getTime() + 12 * 3600_000 + 1000));
      expectProblem(await agent.get('/api/v1/cases'), 401, 'session_expired');
    } finally {
      t.setNow(new Date());
    }
  });

  it('send a page without a session to the sign-in page, with the way back', async () => {
    const res = await request(t.app).get('/items/EV2600000014').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/signin?required=1&next=%2Fitems%2FEV2600000014');
  });
});

describe('the API under a session cookie', () => {
  it('refuses a write without the session’s CSRF token and takes it with the token', async () => {
    const { agent } = await signIn(t, 'clerk1');
    const head = t.head();
    expectProblem(await agent.post('/api/v1/cases').send(caseBody()), 403, 'csrf_invalid');
    expectProblem(
      await agent.post('/api/v1/cases').set('X-CSRF-Token', 'wrong').send(caseBody()),
      403,
      'csrf_invalid',
    );
    expect(t.head()).toBe(head);
    const csrf = await csrfOf(agent);
    const ok = await agent.post('/api/v1/cases').set('X-CSRF-Token', csrf).send(caseBody());
    expect(ok.status).toBe(201);
    expect(t.head()).toBe(head + 1);
  });

  it('reads without a CSRF token, as the signed-in user and role', async () => {
    const { agent } = await signIn(t, 'prosecutor1');
    const me = await agent.get('/api/v1/users/me');
    expect(me.body).toMatchObject({ username: 'prosecutor1', role: 'prosecutor' });
    const csrf = await csrfOf(agent);
    expectProblem(
      await agent.post('/api/v1/cases').set('X-CSRF-Token', csrf).send(caseBody()),
      403,
      'forbidden',
    );
  });

  it('lets a bearer token win over a cookie (scripts keep working)', async () => {
    const { agent } = await signIn(t, 'prosecutor1');
    const res = await agent.post('/api/v1/cases').set(auth(t.tokens.clerk)).send(caseBody());
    expect(res.status).toBe(201);
  });
});

describe('POST /signout', () => {
  it('needs the CSRF token, ends the session and records user_signed_out', async () => {
    const { agent, res: signedIn } = await signIn(t, 'supervisor1');
    const cookieBefore = sessionCookie(signedIn)!.split(';')[0]!;
    const csrf = await csrfOf(agent);
    const refused = await agent.post('/signout').type('form').send({});
    expect(refused.status).toBe(403);
    expect((await agent.get('/api/v1/users/me')).status).toBe(200);
    const before = eventsOfType(t, 'user_signed_out').length;
    const res = await agent.post('/signout').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/signin?signedout=1');
    expect(eventsOfType(t, 'user_signed_out')).toHaveLength(before + 1);
    expect(res.headers['set-cookie']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^custody_session=; .*Max-Age=0/)]),
    );
    // The old cookie, replayed, names an ended session.
    expectProblem(
      await request(t.app).get('/api/v1/users/me').set('Cookie', cookieBefore),
      401,
      'session_expired',
    );
  });
});

describe('passwords', () => {
  it('an administrator resets one: 204, user_password_set by the admin, the user’s sessions end', async () => {
    const { agent } = await signIn(t, 'supervisor1');
    const res = await request(t.app)
      .post(`/api/v1/users/${t.userIds.supervisor}/password`)
      .set(auth(t.tokens.admin))
      .send({ password: 'a brand new passphrase' });
    expect(res.status).toBe(204);
    const set = eventsOfType(t, 'user_password_set').at(-1)!;
    expect(set).toMatchObject({ actor: t.userIds.admin, entity_id: t.userIds.supervisor });
    expect(JSON.parse(set.data)).toEqual({ reason: 'reset' });
    expect(set.data).not.toMatch(/scrypt|passphrase/);
    expectProblem(await agent.get('/api/v1/users/me'), 401, 'session_expired');
    expect((await signIn(t, 'supervisor1', 'a brand new passphrase')).res.status).toBe(303);
    expect((await signIn(t, 'supervisor1', PASSWORD)).res.status).toBe(401);
  });

  it('refuses a short password and a non-admin resetting one, writing nothing', async () => {
    const head = t.head();
    expectProblem(
      await request(t.app)
        .post(`/api/v1/users/${t.userIds.clerk}/password`)
        .set(auth(t.tokens.admin))
        .send({ password: 'short' }),
      400,
      'password_too_weak',
    );
    expectProblem(
      await request(t.app)
        .post(`/api/v1/users/${t.userIds.admin}/password`)
        .set(auth(t.tokens.supervisor))
        .send({ password: 'a long enough password' }),
      403,
      'forbidden',
    );
    expect(t.head()).toBe(head);
  });

  it('a user changes their own with the current one', async () => {
    const { agent } = await signIn(t, 'clerk1');
    const csrf = await csrfOf(agent);
    const head = t.head();
    expectProblem(
      await agent
        .post('/api/v1/users/me/password')
        .set('X-CSRF-Token', csrf)
        .send({ currentPassword: 'not it at all', newPassword: 'another long password' }),
      403,
      'current_password_wrong',
    );
    expect(t.head()).toBe(head);
    const ok = await agent
      .post('/api/v1/users/me/password')
      .set('X-CSRF-Token', csrf)
      .send({ currentPassword: PASSWORD, newPassword: 'another long password' });
    expect(ok.status).toBe(204);
    expect((await agent.get('/api/v1/users/me')).status).toBe(200);
    expect((await signIn(t, 'clerk1', 'another long password')).res.status).toBe(303);
  });
});
