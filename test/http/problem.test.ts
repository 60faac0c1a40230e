import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../src/http/problem';
import { auth, makeTestApp } from '../helpers/app';
import { caseBody } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();

/** Creates a user through the API as admin and issues a token; returns both. */
async function makeUser(username: string, role = 'clerk') {
  const created = await t.http.post('/api/v1/users').set(auth(t.tokens.admin)).send({ username, role });
  expect(created.status).toBe(201);
  const issued = await t.http.post(`/api/v1/users/${created.body.id}/tokens`).set(auth(t.tokens.admin));
  expect(issued.status).toBe(201);
  return { id: created.body.id as string, token: issued.body.token as string, tokenId: issued.body.tokenId };
}

describe('every error is RFC 9457 problem+json with a stable code', () => {
  it('answers an unknown route with 404 route_not_found', async () => {
    const before = t.head();
    for (const path of ['/api/v1/nope', '/api/v2/cases', '/nope', '/api/v1/cases/x/y/z']) {
      const res = await t.http.get(path).set(auth(t.tokens.clerk));
      expectProblem(res, 404, 'route_not_found');
      expect(res.body.instance).toBe(path);
    }
    // A path that exists under other methods is a 405, not a 404 (test/http/edge.test.ts).
    const post = await t.http.delete('/api/v1/cases').set(auth(t.tokens.clerk));
    expectProblem(post, 405, 'method_not_allowed');
    expect(t.head()).toBe(before);
  });

  it('answers an unknown route without a token with 404 too (no route needs guessing)', async () => {
    expectProblem(await t.http.get('/api/v1/no-such-thing'), 404, 'route_not_found');
  });

  it('refuses malformed JSON with 400 invalid_json', async () => {
    const before = t.head();
    for (const text of ['{"number":', '{number: 1}', "{'a':1}", '"just a string"', '12', 'null', '\u0000']) {
      const res = await t.http
        .post('/api/v1/cases')
        .set(auth(t.tokens.clerk))
        .set('Content-Type', 'application/json')
        .send(text);
      expectProblem(res, 400, 'invalid_json');
    }
    expect(t.head()).toBe(before);
  });

  it('refuses a JSON array where an object is expected with 400 validation_failed', async () => {
    const before = t.head();
    const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.clerk)).send([caseBody()]);
    expectProblem(res, 400, 'validation_failed');
    expect(t.head()).toBe(before);
  });

  it('refuses a body in the wrong content type with 415 unsupported_media_type', async () => {
    const before = t.head();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await t.http
        .post('/api/v1/cases')
        .set(auth(t.tokens.clerk))
        .set('Content-Type', type)
        .send(JSON.stringify(caseBody()));
      expectProblem(res, 415, 'unsupported_media_type');
    }
    const none = await t.http.post('/api/v1/cases').set(auth(t.tokens.clerk));
    expectProblem(none, 415, 'unsupported_media_type');
    expect(t.head()).toBe(before);
  });

  it('refuses a body that is not UTF-8 with 415 unsupported_media_type', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'application/json; charset=koi8-r')
      .send(JSON.stringify(caseBody()));
    expectProblem(res, 415, 'unsupported_media_type');
    expect(t.head()).toBe(before);
  });

  it('refuses an unknown Content-Encoding with 415 unsupported_media_type', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-custom')
      .send(JSON.stringify(caseBody()));
    expectProblem(res, 415, 'unsupported_media_type');
    expect(res.body.detail).toContain('Content-Encoding');
    expect(t.head()).toBe(before);
  });

  it('counts the limit after decompression: a gzip bomb is 413 payload_too_large', async () => {
    const before = t.head();
    const bomb = gzipSync(Buffer.from(`{"title":"${'x'.repeat(5_000_000)}"}`));
    expect(bomb.length).toBeLessThan(100_000);
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((b: Buffer) => b as unknown as string) // the bytes as they are, not JSON
      .send(bomb);
    expectProblem(res, 413, 'payload_too_large');
    expect(t.head()).toBe(before);
  });

  it('answers requests Node’s HTTP parser refuses (huge headers, garbage) with problem+json', async () => {
    const server = createServer(t.app);
    answerClientErrors(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(text));
        let out = '';
        socket.on('data', (c) => {
          out += c.toString();
        });
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
    try {
      const big = await raw(`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 /);
      expect(big).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({
        status: 431,
        code: 'headers_too_large',
      });
      const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({
        code: 'validation_failed',
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses an oversize body with 413 payload_too_large', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .send({ ...caseBody(), title: 'x'.repeat(1_100_000) });
    expectProblem(res, 413, 'payload_too_large');
    expect(t.head()).toBe(before);
  });

  it('refuses an `actor` member in a body with 400 actor_not_allowed', async () => {
    const before = t.head();
    for (const actor of [t.userIds.supervisor, 'system', null, { id: 'x' }]) {
      const res = await t.http
        .post('/api/v1/cases')
        .set(auth(t.tokens.clerk))
        .send({ ...caseBody(), actor });
      expectProblem(res, 400, 'actor_not_allowed');
    }
    expect(t.head()).toBe(before);
  });

  it('refuses an `actor` nested in a batch entry or an import row, naming where it is', async () => {
    const before = t.head();
    const batch = await t.http
      .post('/api/v1/events/batch')
      .set(auth(t.tokens.clerk))
      .send({
        events: [{ evidenceNo: 'EV2600000011', event: { type: 'note', text: 'x', actor: 'system' } }],
      });
    expectProblem(batch, 400, 'actor_not_allowed');
    expect(batch.body.path).toBe('events.0.event.actor');
    const rows = await t.http
      .post('/api/v1/items/import?caseId=c&seizureId=s')
      .set(auth(t.tokens.clerk))
      .send([{ category: 'other' }, { category: 'other', actor: t.userIds.supervisor }]);
    expectProblem(rows, 400, 'actor_not_allowed');
    expect(rows.body.path).toBe('1.actor');
    expect(t.head()).toBe(before);
  });

  it('never shows a stack trace, SQL or file path in a problem', async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .send({ ...caseBody(), number: "'; DROP TABLE events; --".repeat(3) });
    // Whatever the outcome, the body has no internals in it.
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/src\/|SQLITE_|better-sqlite3/);
    expect(res.status).toBeLessThan(500);
  });
});

describe('authentication: 401 for who you are, 403 for what you may do', () => {
  it('answers a missing token with 401 unauthenticated', async () => {
    const before = t.head();
    expectProblem(await t.http.get('/api/v1/cases'), 401, 'unauthenticated');
    expectProblem(await t.http.post('/api/v1/cases').send(caseBody()), 401, 'unauthenticated');
    expect(t.head()).toBe(before);
  });

  it('answers a malformed Authorization header with 401 unauthenticated', async () => {
    for (const header of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer a b', t.tokens.clerk]) {
      const res = await t.http.get('/api/v1/cases').set('Authorization', header);
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('answers a garbage or unknown token with 401 token_invalid', async () => {
    const before = t.head();
    const forged = `cdy_${'A'.repeat(43)}`;
    for (const token of ['garbage', forged, `${t.tokens.clerk}x`, t.tokens.clerk.slice(0, -1)]) {
      expectProblem(await t.http.get('/api/v1/cases').set(auth(token)), 401, 'token_invalid');
      expectProblem(
        await t.http.post('/api/v1/cases').set(auth(token)).send(caseBody()),
        401,
        'token_invalid',
      );
    }
    expect(t.head()).toBe(before);
  });

  it('refuses a revoked token with 401 token_invalid, while the user’s other tokens still work', async () => {
    const u = await makeUser('revokee');
    const second = await t.http.post(`/api/v1/users/${u.id}/tokens`).set(auth(t.tokens.admin));
    expect((await t.http.get('/api/v1/cases').set(auth(u.token))).status).toBe(200);
    const revoke = await t.http.post(`/api/v1/tokens/${u.tokenId}/revoke`).set(auth(t.tokens.admin));
    expect(revoke.status).toBe(204);
    const before = t.head();
    expectProblem(await t.http.get('/api/v1/cases').set(auth(u.token)), 401, 'token_invalid');
    expectProblem(
      await t.http.post('/api/v1/cases').set(auth(u.token)).send(caseBody()),
      401,
      'token_invalid',
    );
    expect(t.head()).toBe(before);
    expect((await t.http.get('/api/v1/cases').set(auth(second.body.token))).status).toBe(200);
  });

  it('refuses a disabled user’s token with 401 account_disabled, and accepts it again once enabled', async () => {
    const u = await makeUser('disablee');
    expect((await t.http.post(`/api/v1/users/${u.id}/disable`).set(auth(t.tokens.admin))).status).toBe(200);
    const before = t.head();
    expectProblem(await t.http.get('/api/v1/cases').set(auth(u.token)), 401, 'account_disabled');
    expectProblem(
      await t.http.post('/api/v1/cases').set(auth(u.token)).send(caseBody()),
      401,
      'account_disabled',
    );
    expect(t.head()).toBe(before);
    expect((await t.http.post(`/api/v1/users/${u.id}/enable`).set(auth(t.tokens.admin))).status).toBe(200);
    expect((await t.http.get('/api/v1/cases').set(auth(u.token))).status).toBe(200);
    const created = await t.http.post('/api/v1/cases').set(auth(u.token)).send(caseBody());
    expect(created.status).toBe(201);
  });

  it('answers a valid token with the wrong role with 403 forbidden, naming the permission', async () => {
    const before = t.head();
    const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.prosecutor)).send(caseBody());
    expectProblem(res, 403, 'forbidden');
    expect(res.body).toMatchObject({ role: 'prosecutor', requires: 'write' });
    expect(t.head()).toBe(before);
  });

  it('checks the role before the body: a forbidden role learns nothing about the schema', async () => {
    const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.auditor)).send({ nonsense: true });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.errors).toBeUndefined();
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id, in the header and in a problem', async () => {
    const ok = await t.http.get('/api/v1/health').set('X-Request-Id', 'scan-42.abc:1');
    expect(ok.headers['x-request-id']).toBe('scan-42.abc:1');
    const bad = await t.http.get('/api/v1/nope').set('X-Request-Id', 'req-7');
    expect(bad.headers['x-request-id']).toBe('req-7');
    expect(bad.body.requestId).toBe('req-7');
  });

  it('generates one when absent', async () => {
    const a = await t.http.get('/api/v1/health');
    const b = await t.http.get('/api/v1/health');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).not.toBe(a.headers['x-request-id']);
  });

  it('replaces a hostile one instead of echoing it', async () => {
    for (const hostile of ['<script>alert(1)</script>', 'x'.repeat(500), 'a b', '{"$ne":1}']) {
      const res = await t.http.get('/api/v1/nope').set('X-Request-Id', hostile);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(res.body)).not.toContain(hostile);
    }
  });
});

describe('security headers (helmet)', () => {
  it('sets them on API answers, problems and the docs page', async () => {
    for (const res of [
      await t.http.get('/api/v1/health'),
      await t.http.get('/api/v1/cases'),
      await t.http.get('/docs/'),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
