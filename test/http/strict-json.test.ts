import { describe, expect, it } from 'vitest';
import { routes } from '../../src/modules/routes';
import { PERMISSIONS, type Permission } from '../../src/modules/users/roles';
import { makeItem } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

/**
 * JSON bodies are I-JSON (RFC 7493): UTF-8 bytes, no lone surrogates, no member named twice. Each is
 * refused with its own code before anything reaches a service, on every route that takes JSON.
 */

const t = makeTestApp();

function postRaw(path: string, bytes: Buffer | string, contentType = 'application/json') {
  return t.http
    .post(`/api/v1${path}`)
    .set(auth(t.tokens.supervisor))
    .set('Content-Type', contentType)
    .serialize((b) => b)
    .send(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
}

describe('POST /items/:evidenceNo/events with hostile JSON', () => {
  it('refuses a lone UTF-16 surrogate with 400 invalid_unicode, naming where it is', async () => {
    const no = await makeItem(t);
    const before = t.head();
    const res = await postRaw(`/items/${no}/events`, '{"type":"note","text":"\\ud800"}');
    expectProblem(res, 400, 'invalid_unicode');
    expect(res.body.path).toBe('text');
    expect(t.head()).toBe(before);
  });

  it('refuses a low surrogate alone and a high one followed by a non-surrogate', async () => {
    const no = await makeItem(t);
    const before = t.head();
    for (const text of ['\\udc00', '\\ud83dx', 'a\\ud83d\\u0041']) {
      const res = await postRaw(`/items/${no}/events`, `{"type":"note","text":"${text}"}`);
      expectProblem(res, 400, 'invalid_unicode');
    }
    expect(t.head()).toBe(before);
  });

  it('accepts a surrogate pair, NUL and the noncharacters U+FFFE/U+FFFF as text', async () => {
    const no = await makeItem(t);
    const res = await postRaw(
      `/items/${no}/events`,
      '{"type":"note","text":"\\ud83d\\ude00 \\u0000 \\ufffe\\uffff"}',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const row = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, data FROM events WHERE seq = ?')
      .get(res.body.seq) as { type: string; data: string };
    expect(row.type).toBe('item_note');
    expect((JSON.parse(row.data) as { text: string }).text).toBe('😀 \u0000 \ufffe\uffff');
    const verify = await t.http.get('/api/v1/ledger/verify').set(auth(t.tokens.auditor));
    expect(verify.body.ok).toBe(true);
  });

  it('refuses bytes that are not UTF-8 with 400 invalid_encoding and the offset of the first bad byte', async () => {
    const no = await makeItem(t);
    const before = t.head();
    const latin1 = Buffer.concat([
      Buffer.from('{"type":"note","text":"Caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const res = await postRaw(`/items/${no}/events`, latin1);
    expectProblem(res, 400, 'invalid_encoding');
    expect(res.body.offset).toBe(26);
    // An encoded surrogate (CESU-8) and an overlong form are not UTF-8 either.
    for (const bad of [
      [0xed, 0xa0, 0x80],
      [0xc0, 0xa2],
    ]) {
      const body = Buffer.concat([
        Buffer.from('{"type":"note","text":"'),
        Buffer.from(bad),
        Buffer.from('"}'),
      ]);
      expectProblem(await postRaw(`/items/${no}/events`, body), 400, 'invalid_encoding');
    }
    expect(t.head()).toBe(before);
  });

  it('refuses a duplicate member with 400 duplicate_member: the last one does not silently win', async () => {
    const no = await makeItem(t);
    const before = t.head();
    const res = await postRaw(
      `/items/${no}/events`,
      '{"type":"checked_out","type":"note","text":"which one?"}',
    );
    expectProblem(res, 400, 'duplicate_member');
    expect(res.body).toMatchObject({ member: 'type', path: '' });
    // The same name written with an escape is the same name.
    const escaped = await postRaw(`/items/${no}/events`, '{"type":"note","text":"a","t\\u0065xt":"b"}');
    expectProblem(escaped, 400, 'duplicate_member');
    expect(escaped.body.member).toBe('text');
    expect(t.head()).toBe(before);
  });

  it('finds a duplicate member at any depth, naming its path', async () => {
    const [a, b] = [await makeItem(t), await makeItem(t)];
    const before = t.head();
    const res = await postRaw(
      '/events/batch',
      JSON.stringify({ events: [{ evidenceNo: a, type: 'note', text: 'x' }] }).replace(
        '}]}',
        `},{"evidenceNo":"${b}","type":"note","text":"y","text":"z"}]}`,
      ),
    );
    expectProblem(res, 400, 'duplicate_member');
    expect(res.body).toMatchObject({ member: 'text', path: 'events.1' });
    expect(t.head()).toBe(before);
  });

  it('refuses a declared charset other than UTF-8 with 415', async () => {
    const no = await makeItem(t);
    const res = await postRaw(
      `/items/${no}/events`,
      '{"type":"note","text":"x"}',
      'application/json; charset=latin1',
    );
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('refuses JSON that is not an object or array, and answers a 1 MB string without a 5xx', async () => {
    const no = await makeItem(t);
    const before = t.head();
    expectProblem(await postRaw(`/items/${no}/events`, '"note"'), 400, 'invalid_json');
    const big = await postRaw(
      `/items/${no}/events`,
      JSON.stringify({ type: 'note', text: 'x'.repeat(1_000_000) }),
    );
    expect([400, 413]).toContain(big.status);
    expect(t.head()).toBe(before);
  });
});

describe('every route that takes JSON', () => {
  const jsonRoutes = routes.filter(
    (r) => r.body && (r.bodyTypes ?? ['application/json']).includes('application/json'),
  );
  const roleFor = (permission: string) =>
    permission === 'public' ? 'admin' : PERMISSIONS[permission as Permission][0]!;

  it.each(jsonRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s refuses a lone surrogate, invalid UTF-8 and a duplicate member',
    async (_name, route) => {
      const path = route.path.replace(/:[A-Za-z]+/g, 'x');
      const send = (bytes: Buffer) =>
        t.http[route.method](`/api/v1${path}`)
          .set(auth(t.tokens[roleFor(route.permission)]))
          .set('Content-Type', 'application/json')
          .serialize((b) => b)
          .send(bytes);
      const before = t.head();
      expectProblem(await send(Buffer.from('{"name":"\\udfff"}')), 400, 'invalid_unicode');
      expectProblem(
        await send(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
        400,
        'invalid_encoding',
      );
      expectProblem(await send(Buffer.from('[{"a":1,"b":{"c":1,"c":2}}]')), 400, 'duplicate_member');
      expect(t.head()).toBe(before);
    },
  );
});

describe('the ledger append', () => {
  it('turns data with no canonical form into a 400 refusal, never a 500', async () => {
    const { ledger } = t.app.locals.ctx;
    const before = t.head();
    const refused = ledger.write((tx) =>
      tx.append({
        type: 'item_note',
        entityType: 'item',
        entityId: 'EV2600000010',
        actor: t.userIds.clerk,
        data: { text: '\ud800' },
      }),
    );
    await expect(refused).rejects.toMatchObject({ code: 'invalid_json', status: 400 });
    expect(t.head()).toBe(before);
  });
});
