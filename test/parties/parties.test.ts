import { describe, expect, it } from 'vitest';
import { makeParty } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();

describe('POST /parties', () => {
  it('registers a party; Kazakh and Russian names round-trip', async () => {
    const before = t.head();
    const body = {
      kind: 'forensic_lab',
      name: 'Қазақстан Республикасы Әділет министрлігінің Сот сараптамалары орталығы',
      contact: 'Ғалымжан Өтегенов, +7 7172 00 00 00; ул. Бейбітшілік 2, Астана',
      reference: 'Лицензия № 12-ҚР/2021',
    };
    const res = await t.http.post('/api/v1/parties').set(auth(t.tokens.clerk)).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(body);
    expect(res.body.id).toMatch(/^pty_/);
    expect(t.head()).toBe(before + 1);
    const got = await t.http.get(`/api/v1/parties/${res.body.id}`).set(auth(t.tokens.prosecutor));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const row = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, data FROM events WHERE seq = ?')
      .get(t.head()) as {
      type: string;
      data: string;
    };
    expect(row.type).toBe('party_registered');
    expect(JSON.parse(row.data).name).toBe(body.name);
  });

  it.each([
    ['an unknown kind', { kind: 'lawyer', name: 'X' }],
    ['a missing name', { kind: 'court' }],
    ['an unknown field', { kind: 'court', name: 'X', phone: '1' }],
  ])('refuses %s and writes nothing', async (_name, body) => {
    const before = t.head();
    expectProblem(
      await t.http.post('/api/v1/parties').set(auth(t.tokens.clerk)).send(body),
      400,
      'validation_failed',
    );
    expect(t.head()).toBe(before);
  });

  it('is refused to a prosecutor and an auditor', async () => {
    for (const role of ['prosecutor', 'auditor'] as const) {
      const res = await t.http
        .post('/api/v1/parties')
        .set(auth(t.tokens[role]))
        .send({ kind: 'court', name: 'X' });
      expectProblem(res, 403, 'forbidden');
    }
  });
});

describe('GET /parties', () => {
  it('filters by kind and by part of a Cyrillic name, any case', async () => {
    const court = await makeParty(t, { kind: 'court', name: 'Павлодарский областной суд' });
    await makeParty(t, { kind: 'expert', name: 'Иванов И.И.' });
    const byName = await t.http.get('/api/v1/parties').query({ q: 'ОБЛАСТНОЙ' }).set(auth(t.tokens.auditor));
    expect(byName.body.items.map((p: { id: string }) => p.id)).toEqual([court.id]);
    const experts = await t.http.get('/api/v1/parties').query({ kind: 'expert' }).set(auth(t.tokens.clerk));
    expect(experts.body.items.length).toBeGreaterThan(0);
    expect(experts.body.items.every((p: { kind: string }) => p.kind === 'expert')).toBe(true);
  });

  it('pages with a cursor', async () => {
    for (let i = 0; i < 4; i++) await makeParty(t, { name: `Agency ${i}`, kind: 'agency' });
    const first = await t.http
      .get('/api/v1/parties')
      .query({ kind: 'agency', limit: 3 })
      .set(auth(t.tokens.clerk));
    expect(first.body.items).toHaveLength(3);
    const second = await t.http
      .get('/api/v1/parties')
      .query({ kind: 'agency', limit: 3, cursor: first.body.nextCursor })
      .set(auth(t.tokens.clerk));
    expect(second.body.items.length).toBeGreaterThan(0);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it('answers 404 party_not_found for an unknown id', async () => {
    expectProblem(
      await t.http.get('/api/v1/parties/pty_nope').set(auth(t.tokens.clerk)),
      404,
      'party_not_found',
    );
  });
});
