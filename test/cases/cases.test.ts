import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { caseBody, makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';

const t = makeTestApp();

describe('POST /cases', () => {
  it('opens a case as a clerk, recorded with the clerk as actor', async () => {
    const before = t.head();
    const body = caseBody({ number: '12/345-2022', title: 'Экибастуз: ферма «Қуат»' });
    const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.clerk)).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: '12/345-2022', title: body.title, status: 'open' });
    expect(res.body.id).toMatch(/^case_/);
    expect(t.head()).toBe(before + 1);
    const row = t.app.locals.ctx.db.sqlite.prepare('SELECT * FROM events WHERE seq = ?').get(t.head()) as {
      type: string;
      actor: string;
    };
    expect(row).toMatchObject({ type: 'case_opened', actor: t.userIds.clerk });
  });

  it('refuses a duplicate case number and writes nothing', async () => {
    const c = await makeCase(t);
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.supervisor))
      .send(caseBody({ number: c.number }));
    expectProblem(res, 409, 'duplicate_case_number');
    expect(t.head()).toBe(before);
  });

  it('refuses an actor in the body: the actor is always the token’s user', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .send({ ...caseBody(), actor: t.userIds.supervisor });
    expectProblem(res, 400, 'actor_not_allowed');
    expect(t.head()).toBe(before);
  });

  it.each([
    ['a missing title', { title: undefined }],
    ['a wrong type', { title: 42 }],
    ['an unknown field', { colour: 'red' }],
    ['a bad date', { openedOn: '01.03.2022' }],
    ['an occurredAt without offset', { occurredAt: '2022-03-01T10:00:00' }],
  ])('refuses %s with validation_failed naming the field', async (_name, patch) => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .send({ ...caseBody(), ...patch });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(t.head()).toBe(before);
  });

  it('refuses an occurredAt in the future', async () => {
    const before = t.head();
    const occurredAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await t.http.post('/api/v1/cases').set(auth(t.tokens.clerk)).send(caseBody({ occurredAt }));
    expectProblem(res, 400, 'occurred_in_future');
    expect(t.head()).toBe(before);
  });

  it('keeps the occurredAt offset the client sent', async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(auth(t.tokens.clerk))
      .send(caseBody({ occurredAt: '2022-03-01T09:30:00+05:00' }));
    expect(res.status).toBe(201);
    const row = t.app.locals.ctx.db.sqlite
      .prepare('SELECT occurred_at FROM events WHERE seq = ?')
      .get(res.body.createdSeq);
    expect(row).toEqual({ occurred_at: '2022-03-01T09:30:00+05:00' });
  });

  it('is refused to a prosecutor and an auditor', async () => {
    for (const role of ['prosecutor', 'auditor', 'admin'] as const) {
      const res = await t.http.post('/api/v1/cases').set(auth(t.tokens[role])).send(caseBody());
      expectProblem(res, 403, 'forbidden');
    }
  });
});

describe('GET /cases', () => {
  it('pages through every case once with a cursor', async () => {
    for (let i = 0; i < 5; i++) await makeCase(t);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } =
        await t.http
          .get('/api/v1/cases')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auth(t.tokens.prosecutor));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await t.http.get('/api/v1/cases').query({ limit: 500 }).set(auth(t.tokens.auditor));
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
  });

  it('finds a case by its number, slash and all', async () => {
    const c = await makeCase(t, { number: '7/2022-КЗ' });
    const res = await t.http
      .get('/api/v1/cases')
      .query({ number: '7/2022-КЗ' })
      .set(auth(t.tokens.prosecutor));
    expect(res.body.items).toEqual([expect.objectContaining({ id: c.id })]);
  });

  it('refuses a forged cursor', async () => {
    const res = await t.http.get('/api/v1/cases').query({ cursor: 'not-a-cursor' }).set(auth(t.tokens.clerk));
    expectProblem(res, 400, 'invalid_cursor');
  });
});

describe('GET /cases/:caseId', () => {
  it('shows a case to every role', async () => {
    const c = await makeCase(t);
    for (const token of Object.values(t.tokens)) {
      const res = await t.http.get(`/api/v1/cases/${c.id}`).set(auth(token));
      expect(res.status).toBe(200);
      expect(res.body.number).toBe(c.number);
    }
  });

  it('answers 404 case_not_found for an unknown id', async () => {
    expectProblem(
      await t.http.get('/api/v1/cases/case_nope').set(auth(t.tokens.clerk)),
      404,
      'case_not_found',
    );
  });
});

describe('POST /cases/:caseId/status', () => {
  it('lets a supervisor change the status, not a clerk', async () => {
    const c = await makeCase(t);
    const body = { status: 'in_court', reason: 'indictment filed' };
    expectProblem(
      await t.http.post(`/api/v1/cases/${c.id}/status`).set(auth(t.tokens.clerk)).send(body),
      403,
      'forbidden',
    );
    const res = await t.http.post(`/api/v1/cases/${c.id}/status`).set(auth(t.tokens.supervisor)).send(body);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('in_court');
    const again = await t.http.post(`/api/v1/cases/${c.id}/status`).set(auth(t.tokens.supervisor)).send(body);
    expectProblem(again, 409, 'invalid_transition');
  });
});
