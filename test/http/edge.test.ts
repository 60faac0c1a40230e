import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import express from 'express';
import helmet from 'helmet';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, HELMET_OPTIONS } from '../../src/app';
import { openDb } from '../../src/db/open';
import { generateSigner } from '../../src/ledger/signer';
import { makeItem } from '../custody/fixtures';
import { auth, makeTestApp, tempDir } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();

/** The app as the server builds it, with its request log captured line by line. */
function loggedApp() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const db = openDb(join(tempDir(), 'logged.db'));
  const app = createApp({
    db,
    signer: generateSigner(),
    checkpointIntervalMs: 0,
    logger: pino({ level: 'info' }, sink),
  });
  afterAll(async () => {
    await app.locals.ctx.ledger.close();
    db.sqlite.close();
  });
  return { http: request(app), lines };
}

describe('tokens in URLs', () => {
  const token = () => t.tokens.admin;

  it('keeps a token sent in the query out of the log line and the problem instance', async () => {
    const logged = loggedApp();
    const secret = token();
    const res = await logged.http.get(`/api/v1/users/me?token=${secret}`);
    expectProblem(res, 401, 'unauthenticated');
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect(res.body.instance).toBe(`/api/v1/users/me?token=${secret.slice(0, 10)}…[redacted]`);
    const line = logged.lines.find((l) => l.includes('/users/me'));
    expect(line).toBeDefined();
    expect(line).not.toContain(secret.slice(10));
    expect(JSON.parse(line!).req.url).toBe(`/api/v1/users/me?token=${secret.slice(0, 10)}…[redacted]`);
  });

  it('says in the 401 that tokens go in the Authorization header only, and that this one leaked', async () => {
    const plain = await t.http.get('/api/v1/users/me');
    expectProblem(plain, 401, 'unauthenticated');
    expect(plain.body.detail).toContain('Authorization header');
    expect(plain.body.detail).toContain('never in the URL');
    const leaked = await t.http.get(`/api/v1/users/me?access_token=${encodeURIComponent(token())}`);
    expectProblem(leaked, 401, 'unauthenticated');
    expect(leaked.body.detail).toContain(`This URL carries a token (${token().slice(0, 10)}`);
    expect(leaked.body.detail).toContain('revoke');
    expect(JSON.stringify(leaked.body)).not.toContain(token().slice(10));
  });

  it('redacts a token in a path or a percent-encoded one, whatever the answer', async () => {
    const secret = token();
    for (const url of [`/api/v1/items/${secret}`, `/api/v1/cases?token=cdy%5F${secret.slice(4)}`]) {
      const res = await t.http.get(url).set(auth(t.tokens.clerk));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(res.body), url).not.toContain(secret.slice(10));
      expect(res.body.instance).toContain('[redacted]');
    }
  });
});

describe('methods a path does not answer', () => {
  it('answers DELETE on an existing path with 405 method_not_allowed and an Allow header', async () => {
    const before = t.head();
    const res = await t.http.delete('/api/v1/cases').set(auth(t.tokens.supervisor));
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(res.body.allow).toEqual(['GET', 'HEAD', 'POST']);
    expect(t.head()).toBe(before);
  });

  it('computes Allow from the route list for paths with parameters', async () => {
    const events = await t.http.get('/api/v1/items/EV2600000010/events').set(auth(t.tokens.clerk));
    expectProblem(events, 405, 'method_not_allowed');
    expect(events.headers.allow).toBe('POST, OPTIONS');
    const put = await t.http.put('/api/v1/ledger/verify').set(auth(t.tokens.clerk));
    expectProblem(put, 405, 'method_not_allowed');
    expect(put.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('answers every path the app serves, not only API routes: /openapi.json, /docs, web pages', async () => {
    const before = t.head();
    for (const method of ['delete', 'put', 'patch', 'post'] as const) {
      const res = await t.http[method]('/api/v1/openapi.json').set(auth(t.tokens.admin));
      expectProblem(res, 405, 'method_not_allowed');
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    }
    for (const path of ['/docs', '/docs/init.js', '/cases', '/items/EV2600000010']) {
      const res = await t.http.delete(path);
      expectProblem(res, 405, 'method_not_allowed');
      expect(res.headers.allow, path).toBe('GET, HEAD, OPTIONS');
    }
    const signin = await t.http.put('/signin');
    expectProblem(signin, 405, 'method_not_allowed');
    expect(signin.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    for (const path of ['/api/v1/openapi.json', '/docs/', '/cases', '/api/v1/health']) {
      const res = await t.http.options(path);
      expect(res.status, path).toBe(204);
      expect(res.headers.allow, path).toBe('GET, HEAD, OPTIONS');
    }
    expectProblem(await t.http.options('/nowhere'), 404, 'route_not_found');
    expectProblem(await t.http.delete('/docs/nowhere'), 404, 'route_not_found');
    expect(t.head()).toBe(before);
  });

  it('answers the Swagger UI files under /docs/assets like every other path: 405 + Allow, HEAD, OPTIONS', async () => {
    for (const path of ['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js']) {
      for (const method of ['delete', 'put', 'patch', 'post'] as const) {
        const res = await t.http[method](path);
        expectProblem(res, 405, 'method_not_allowed');
        expect(res.headers.allow, `${method} ${path}`).toBe('GET, HEAD, OPTIONS');
      }
      const options = await t.http.options(path);
      expect(options.status, path).toBe(204);
      expect(options.headers.allow, path).toBe('GET, HEAD, OPTIONS');
      const get = await t.http.get(path);
      const head = await t.http.head(path);
      expect(head.status, path).toBe(200);
      expect(head.headers['content-type'], path).toBe(get.headers['content-type']);
      expect(head.headers['content-length'], path).toBe(get.headers['content-length']);
      expect(head.text ?? '', path).toBe('');
    }
    // A name that is not one of the package's files is not a path the app serves.
    for (const path of ['/docs/assets/nowhere.js', '/docs/assets/', '/docs/assets/a/b.css']) {
      expectProblem(await t.http.get(path), 404, 'route_not_found');
      expectProblem(await t.http.delete(path), 404, 'route_not_found');
      expectProblem(await t.http.options(path), 404, 'route_not_found');
    }
  });

  it('answers OPTIONS with 204 and Allow, and an unknown path stays 404', async () => {
    const options = await t.http.options('/api/v1/users/x/tokens').set(auth(t.tokens.admin));
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    expectProblem(await t.http.delete('/api/v1/nowhere').set(auth(t.tokens.admin)), 404, 'route_not_found');
  });
});

describe('malformed percent-encoding in a path', () => {
  it('is 400 invalid_percent_encoding, not a generic 400', async () => {
    for (const bad of ['%zz', '%E2%82', 'EV%']) {
      const res = await t.http.get(`/api/v1/items/${bad}`).set(auth(t.tokens.clerk));
      expectProblem(res, 400, 'invalid_percent_encoding');
    }
  });
});

describe('booleans in a query string', () => {
  it('are exactly true or false', async () => {
    for (const url of ['/items?checkedOut=yes', '/items?overdue=1', '/ledger/verify?full=on']) {
      const res = await t.http.get(`/api/v1${url}`).set(auth(t.tokens.auditor));
      expectProblem(res, 400, 'validation_failed');
    }
    expect((await t.http.get('/api/v1/items?checkedOut=false').set(auth(t.tokens.auditor))).status).toBe(200);
  });
});

describe('the request log', () => {
  it('writes one line per request with the request id, status, time and user, at a level by status', async () => {
    const logged = loggedApp();
    const denied = await logged.http.get('/api/v1/users/me').set('X-Request-Id', 'req-401');
    expect(denied.status).toBe(401);
    const health = await logged.http.get('/api/v1/health').set('X-Request-Id', 'req-200');
    expect(health.status).toBe(200);
    const lines = logged.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const of = (id: string) => lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);
    expect(of('req-401')).toHaveLength(1);
    expect(of('req-401')[0]).toMatchObject({
      level: 40,
      msg: 'request completed',
      req: { id: 'req-401', method: 'GET', url: '/api/v1/users/me', remoteAddress: expect.any(String) },
      res: { statusCode: 401 },
      responseTime: expect.any(Number),
    });
    expect(of('req-200')[0]).toMatchObject({ level: 30, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toMatch(/authorization/i);
  });
});

describe('route matching', () => {
  it('matches paths as Express did: any case, a trailing slash, parameters percent-decoded', async () => {
    const ev = await makeItem(t);
    for (const path of ['/api/v1/CASES', '/api/v1/cases/', `/API/V1/items/${ev}`]) {
      expect((await t.http.get(path).set(auth(t.tokens.clerk))).status, path).toBe(200);
    }
    const encoded = `/api/v1/items/${encodeURIComponent(ev).replace(/^E/, '%45')}`;
    const res = await t.http.get(encoded).set(auth(t.tokens.clerk));
    expect(res.status).toBe(200);
    expect(res.body.evidenceNo).toBe(ev);
    expectProblem(await t.http.get('/api/v1/items/a/b/c').set(auth(t.tokens.clerk)), 404, 'route_not_found');
  });

  it("tries a segment's routes in list order: /users/me/password is not a user id", async () => {
    const res = await t.http.post('/api/v1/users/me/password').set(auth(t.tokens.clerk)).send({});
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('currentPassword');
  });
});

describe('request bodies', () => {
  const note = JSON.stringify({ type: 'note', text: 'пломба цела' });
  /** A POST through a real socket, the body written in the pieces given (chunked when no length). */
  async function postRaw(path: string, headers: Record<string, string>, pieces: Buffer[]) {
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        for (const p of pieces) req.write(p);
        req.end();
      });
    } finally {
      server.close();
    }
  }

  it('are read alike with a Content-Length, chunked, or compressed', async () => {
    const ev = await makeItem(t);
    const path = `/api/v1/items/${ev}/events`;
    const json = { ...auth(t.tokens.clerk), 'Content-Type': 'application/json' };
    const bytes = Buffer.from(note);
    const sized = await postRaw(path, { ...json, 'Content-Length': String(bytes.length) }, [
      bytes.subarray(0, 7),
      bytes.subarray(7),
    ]);
    expect(sized.status, JSON.stringify(sized.body)).toBe(201);
    const chunked = await postRaw(path, json, [bytes.subarray(0, 5), bytes.subarray(5)]);
    expect(chunked.status, JSON.stringify(chunked.body)).toBe(201);
    const gzip = await postRaw(path, { ...json, 'Content-Encoding': 'gzip' }, [gzipSync(bytes)]);
    expect(gzip.status, JSON.stringify(gzip.body)).toBe(201);
    for (const r of [sized, chunked, gzip]) expect(r.body).toMatchObject({ type: 'note' });
  });

  it('over the limit or in another type are refused before anything is written', async () => {
    const ev = await makeItem(t);
    const head = t.head();
    const path = `/api/v1/items/${ev}/events`;
    const send = (type: string, body: string) =>
      t.http.post(path).set(auth(t.tokens.clerk)).set('Content-Type', type).send(body);
    const big = JSON.stringify({ type: 'note', text: 'x'.repeat(1_100_000) });
    expectProblem(await send('application/json', big), 413, 'payload_too_large');
    expectProblem(await send('text/plain', note), 415, 'unsupported_media_type');
    expect(t.head()).toBe(head);
  });
});

describe('answers to writes', () => {
  it('carry the JSON body without an ETag; reads keep theirs', async () => {
    const ev = await makeItem(t);
    const res = await t.http
      .post(`/api/v1/items/${ev}/events`)
      .set(auth(t.tokens.clerk))
      .send({ type: 'note', text: 'пломба цела' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers.etag).toBeUndefined();
    expect(res.body).toMatchObject({ type: 'note', item: { evidenceNo: ev, lastSeq: res.body.seq } });
    const read = await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk));
    expect(read.status).toBe(200);
    expect(read.headers.etag).toMatch(/^W\/"/);
  });

  it('with an Idempotency-Key (bearer token) are kept and replayed byte for byte', async () => {
    const ev = await makeItem(t);
    const send = () =>
      t.http
        .post(`/api/v1/items/${ev}/events`)
        .set(auth(t.tokens.clerk))
        .set('Idempotency-Key', 'edge-write-0001')
        .send({ type: 'note', text: 'once' });
    const first = await send();
    expect(first.status).toBe(201);
    const head = t.head();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(t.head()).toBe(head);
  });
});

describe('security headers', () => {
  it('are exactly those helmet sets for the same options, worked out once', async () => {
    const bare = express();
    bare.use(helmet(HELMET_OPTIONS));
    bare.get('/x', (_req, res) => {
      res.send('x');
    });
    const theirs = (await request(bare).get('/x')).headers;
    const ours = (await t.http.get('/api/v1/health')).headers;
    const own = new Set(['content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive']);
    const names = Object.keys(theirs).filter((h) => !own.has(h));
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) expect(ours[name], name).toBe(theirs[name]);
    expect(ours['x-powered-by']).toBeUndefined();
  });
});
