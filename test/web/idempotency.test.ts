import { beforeAll, describe, expect, it } from 'vitest';
import { parseIfMatch } from '../../src/web/idempotency';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { makeCaseWithSeizure, makeItem } from '../items/fixtures';

const t = makeTestApp();
let ev = '';

beforeAll(async () => {
  ev = (await makeItem(t, await makeCaseWithSeizure(t))).evidenceNo;
});

const note = (key: string, text: string, token = t.tokens.clerk) =>
  t.http
    .post(`/api/v1/items/${ev}/events`)
    .set(auth(token))
    .set('Idempotency-Key', key)
    .send({ type: 'note', text });

async function notes(): Promise<string[]> {
  const res = await t.http.get(`/api/v1/items/${ev}/history?limit=100`).set(auth(t.tokens.clerk));
  return (res.body.events as { type: string; data: { text?: string } }[])
    .filter((e) => e.type === 'note')
    .map((e) => e.data.text ?? '');
}

describe('POST with an Idempotency-Key', () => {
  it('refuses the same key with a different body, writing nothing, instead of replaying the first answer', async () => {
    const first = await note('same-key-body-1', 'first');
    expect(first.status).toBe(201);
    const head = t.head();
    const other = await note('same-key-body-1', 'DIFFERENT');
    expectProblem(other, 422, 'idempotency_key_reused');
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(t.head()).toBe(head);
    expect(await notes()).not.toContain('DIFFERENT');
    // The same body again is still the replay of the first answer.
    const again = await note('same-key-body-1', 'first');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(t.head()).toBe(head);
  });

  it('two requests sent at once with one key and different bodies: one is recorded, the other refused', async () => {
    const head = t.head();
    const [a, b] = await Promise.all([note('race-key-0001', 'left'), note('race-key-0001', 'right')]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect(t.head()).toBe(head + 1);
    const recorded = await notes();
    expect(recorded.filter((x) => x === 'left' || x === 'right')).toHaveLength(1);
  });

  it('keys are per user: another user’s same key is a write of its own', async () => {
    const head = t.head();
    expect((await note('shared-key-01', 'by the clerk')).status).toBe(201);
    const other = await note('shared-key-01', 'by the supervisor', t.tokens.supervisor);
    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(t.head()).toBe(head + 2);
  });
});

describe('If-Match on an item event', () => {
  const send = (ifMatch: string) =>
    t.http
      .post(`/api/v1/items/${ev}/events`)
      .set(auth(t.tokens.clerk))
      .set('If-Match', ifMatch)
      .send({ type: 'note', text: `if-match ${ifMatch}` });
  const lastSeq = async () =>
    (await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk))).body.lastSeq as number;

  it.each(['garbage', '42', '"42" "43"', '"unterminated', 'W/'])(
    'a malformed If-Match (%s) is 400 invalid_if_match, nothing written',
    async (value) => {
      const head = t.head();
      expectProblem(await send(value), 400, 'invalid_if_match');
      expect(t.head()).toBe(head);
    },
  );

  it('a weak tag never matches (If-Match compares strongly): 412, nothing written', async () => {
    const head = t.head();
    expectProblem(await send(`W/"${await lastSeq()}"`), 412, 'item_changed');
    expect(t.head()).toBe(head);
  });

  it('a list holding the current lastSeq, or "*", is accepted', async () => {
    expect((await send(`"1", "${await lastSeq()}"`)).status).toBe(201);
    expect((await send('*')).status).toBe(201);
  });
});

describe('parseIfMatch', () => {
  it('reads RFC 9110 If-Match lists', () => {
    expect(parseIfMatch('"5"')).toEqual(['5']);
    expect(parseIfMatch(' , "7" ,W/"8"')).toEqual(['7']);
    expect(parseIfMatch('"a,b"')).toEqual(['a,b']);
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('"x"y')).toBeNull();
  });
});
