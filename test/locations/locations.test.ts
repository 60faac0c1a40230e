import { describe, expect, it } from 'vitest';
import { formatLocationCode } from '../../src/lib/codes';
import { makeLocation } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();

describe('POST /locations', () => {
  it('builds warehouse › room › shelf › bin with gap-free LC codes and a human path', async () => {
    const before = t.head();
    const wh = await makeLocation(t, { name: 'Екібастұз СК-1' });
    const room = await makeLocation(t, {
      kind: 'room',
      name: 'Room 2',
      parentCode: wh.printed.toLowerCase(),
    });
    const shelf = await makeLocation(t, { kind: 'shelf', name: 'Shelf B', parentCode: room.code });
    const bin = await makeLocation(t, { kind: 'bin', name: 'Bin 4', parentCode: shelf.printed });
    expect(t.head()).toBe(before + 4);
    const serials = [wh, room, shelf, bin].map((l) => Number(l.code.slice(2, 9)));
    expect(serials).toEqual([serials[0], serials[0]! + 1, serials[0]! + 2, serials[0]! + 3]);
    expect(bin.code).toBe(formatLocationCode(serials[3]!).compact);
    expect(bin.printed).toBe(formatLocationCode(serials[3]!).printed);
    expect(bin.path).toBe('Екібастұз СК-1 › Room 2 › Shelf B › Bin 4');
    const row = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, entity_id, data FROM events WHERE seq = ?')
      .get(t.head()) as {
      type: string;
      entity_id: string;
      data: string;
    };
    expect(row.type).toBe('location_created');
    expect(row.entity_id).toBe(bin.code);
    expect(JSON.parse(row.data)).toMatchObject({ code: bin.code, kind: 'bin', parentCode: shelf.code });
  });

  it('allocates distinct consecutive codes to concurrent requests', async () => {
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http
          .post('/api/v1/locations')
          .set(auth(t.tokens.clerk))
          .send({ kind: 'warehouse', name: `Concurrent ${i}` }),
      ),
    );
    expect(res.every((r) => r.status === 201)).toBe(true);
    const serials = res.map((r) => Number(r.body.code.slice(2, 9))).sort((a, b) => a - b);
    expect(new Set(serials).size).toBe(20);
    expect(serials[19]! - serials[0]!).toBe(19);
  });

  it.each([
    ['a room without a parent', { kind: 'room', name: 'Loose room' }, 400, 'invalid_location_parent'],
    [
      'a warehouse inside a room',
      { kind: 'warehouse', name: 'X', parentCode: 'ROOM' },
      400,
      'invalid_location_parent',
    ],
    ['a shelf inside a bin', { kind: 'shelf', name: 'X', parentCode: 'BIN' }, 400, 'invalid_location_parent'],
    [
      'an unknown parent',
      { kind: 'room', name: 'X', parentCode: formatLocationCode(9_999_999).compact },
      404,
      'location_not_found',
    ],
    [
      'a parent with a wrong check digit',
      { kind: 'room', name: 'X', parentCode: 'WRONG' },
      400,
      'invalid_check_digit',
    ],
    [
      'a malformed parent code',
      { kind: 'room', name: 'X', parentCode: 'shelf 4' },
      400,
      'invalid_location_code',
    ],
    ['an unknown kind', { kind: 'cupboard', name: 'X' }, 400, 'validation_failed'],
    ['an empty name', { kind: 'warehouse', name: '  ' }, 400, 'validation_failed'],
  ])('refuses %s and writes nothing', async (_name, body, status, code) => {
    const wh = await makeLocation(t);
    const room = await makeLocation(t, { kind: 'room', name: 'R', parentCode: wh.code });
    const shelf = await makeLocation(t, { kind: 'shelf', name: 'S', parentCode: room.code });
    const bin = await makeLocation(t, { kind: 'bin', name: 'B', parentCode: shelf.code });
    const wrong = `${bin.code.slice(0, 9)}${(Number(bin.code[9]) + 1) % 10}`;
    const parentCode = { ROOM: room.code, BIN: bin.code, WRONG: wrong }[
      (body as { parentCode?: string }).parentCode ?? ''
    ];
    const before = t.head();
    const res = await t.http
      .post('/api/v1/locations')
      .set(auth(t.tokens.clerk))
      .send({ ...body, ...(parentCode ? { parentCode } : {}) });
    expectProblem(res, status, code);
    expect(t.head()).toBe(before);
  });

  it('refuses a second location of the same name in the same parent', async () => {
    const wh = await makeLocation(t);
    await makeLocation(t, { kind: 'room', name: 'Room 7', parentCode: wh.code });
    const before = t.head();
    const res = await t.http
      .post('/api/v1/locations')
      .set(auth(t.tokens.supervisor))
      .send({ kind: 'room', name: 'Room 7', parentCode: wh.code });
    expectProblem(res, 409, 'duplicate_location_name');
    expect(t.head()).toBe(before);
  });

  it('is refused to a prosecutor, an auditor and an admin', async () => {
    for (const role of ['prosecutor', 'auditor', 'admin'] as const) {
      const res = await t.http
        .post('/api/v1/locations')
        .set(auth(t.tokens[role]))
        .send({ kind: 'warehouse', name: 'No' });
      expectProblem(res, 403, 'forbidden');
    }
  });
});

describe('GET /locations/:code', () => {
  it('finds a location by either form, any case, with its ancestors and children', async () => {
    const wh = await makeLocation(t, { name: 'Pavlodar WH' });
    const room = await makeLocation(t, { kind: 'room', name: 'Room 1', parentCode: wh.code });
    const shelf = await makeLocation(t, { kind: 'shelf', name: 'Shelf 1', parentCode: room.code });
    for (const form of [
      room.code,
      room.printed,
      room.printed.toLowerCase(),
      ` ${room.code.toLowerCase()} `,
    ]) {
      const res = await t.http
        .get(`/api/v1/locations/${encodeURIComponent(form)}`)
        .set(auth(t.tokens.prosecutor));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        code: room.code,
        kind: 'room',
        path: 'Pavlodar WH › Room 1',
        ancestors: [{ code: wh.code, kind: 'warehouse', name: 'Pavlodar WH' }],
        children: [expect.objectContaining({ code: shelf.code })],
        items: { items: [], nextCursor: null },
      });
    }
  });

  it('answers 400 invalid_check_digit for a mistyped code and 404 for an unknown one', async () => {
    const wh = await makeLocation(t);
    const wrong = `${wh.code.slice(0, 9)}${(Number(wh.code[9]) + 1) % 10}`;
    expectProblem(
      await t.http.get(`/api/v1/locations/${wrong}`).set(auth(t.tokens.clerk)),
      400,
      'invalid_check_digit',
    );
    expectProblem(
      await t.http
        .get(`/api/v1/locations/${formatLocationCode(9_999_998).printed}`)
        .set(auth(t.tokens.clerk)),
      404,
      'location_not_found',
    );
    expectProblem(
      await t.http.get('/api/v1/locations/EV2600671238').set(auth(t.tokens.clerk)),
      400,
      'invalid_location_code',
    );
  });
});

describe('GET /locations', () => {
  it('pages through locations, filtered by kind and parent', async () => {
    const wh = await makeLocation(t);
    for (let i = 0; i < 5; i++)
      await makeLocation(t, { kind: 'room', name: `Room ${i}`, parentCode: wh.code });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { code: string }[]; nextCursor: string | null } } =
        await t.http
          .get('/api/v1/locations')
          .query({ parentCode: wh.printed, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auth(t.tokens.auditor));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((l) => l.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    const warehouses = await t.http
      .get('/api/v1/locations')
      .query({ kind: 'warehouse', limit: 500 })
      .set(auth(t.tokens.clerk));
    expect(warehouses.body.items.every((l: { kind: string }) => l.kind === 'warehouse')).toBe(true);
  });
});
