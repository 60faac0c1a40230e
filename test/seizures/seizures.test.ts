import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeSeizure, seizureBody } from '../items/fixtures';

const t = makeTestApp();

describe('POST /cases/:caseId/seizures', () => {
  it('records a seizure as a seizure_recorded event, with a Kazakh farm name intact', async () => {
    const c = await makeCase(t);
    const before = t.head();
    const body = seizureBody({ farmName: 'Ферма «Қуат» — Екібастұз', outcome: 'ceased_voluntarily' });
    const res = await t.http.post(`/api/v1/cases/${c.id}/seizures`).set(auth(t.tokens.clerk)).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, caseId: c.id, createdSeq: before + 1 });
    expect(res.body.id).toMatch(/^szr_/);
    expect(t.head()).toBe(before + 1);
    const event = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, entity_type, entity_id, occurred_at, actor FROM events WHERE seq = ?')
      .get(t.head());
    expect(event).toEqual({
      type: 'seizure_recorded',
      entity_type: 'seizure',
      entity_id: res.body.id,
      occurred_at: body.seizedAt,
      actor: t.userIds.clerk,
    });
  });

  it('accepts a seizure without coordinates or load', async () => {
    const c = await makeCase(t);
    const res = await t.http
      .post(`/api/v1/cases/${c.id}/seizures`)
      .set(auth(t.tokens.supervisor))
      .send(seizureBody({ latitude: undefined, longitude: null, estimatedLoadKw: undefined }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ latitude: null, longitude: null, estimatedLoadKw: null });
  });

  it('refuses a seizure in the future, one without an offset, and a bad outcome, writing nothing', async () => {
    const c = await makeCase(t);
    const before = t.head();
    const post = (b: Record<string, unknown>) =>
      t.http.post(`/api/v1/cases/${c.id}/seizures`).set(auth(t.tokens.clerk)).send(seizureBody(b));
    expectProblem(await post({ seizedAt: '2999-01-01T00:00:00+05:00' }), 400, 'occurred_in_future');
    expectProblem(await post({ seizedAt: '2022-02-14T06:30:00' }), 400, 'validation_failed');
    expectProblem(await post({ outcome: 'raided' }), 400, 'validation_failed');
    expectProblem(await post({ latitude: 91 }), 400, 'validation_failed');
    expectProblem(await post({ estimatedLoadKw: -1 }), 400, 'validation_failed');
    expect(t.head()).toBe(before);
  });

  it('answers 404 case_not_found for an unknown case', async () => {
    const before = t.head();
    const res = await t.http
      .post('/api/v1/cases/case_nope/seizures')
      .set(auth(t.tokens.clerk))
      .send(seizureBody());
    expectProblem(res, 404, 'case_not_found');
    expect(t.head()).toBe(before);
  });

  it('lets a prosecutor read seizures but not record one', async () => {
    const c = await makeCase(t);
    const s = await makeSeizure(t, c.id);
    const before = t.head();
    const res = await t.http
      .post(`/api/v1/cases/${c.id}/seizures`)
      .set(auth(t.tokens.prosecutor))
      .send(seizureBody());
    expectProblem(res, 403, 'forbidden');
    expect(t.head()).toBe(before);
    const read = await t.http.get(`/api/v1/seizures/${s.id}`).set(auth(t.tokens.prosecutor));
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(s.id);
  });
});

describe('GET /cases/:caseId/seizures and /seizures/:seizureId', () => {
  it('lists a case’s seizures oldest first, page by page', async () => {
    const c = await makeCase(t);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await makeSeizure(t, c.id, { farmName: `Farm ${i}` })).id);
    await makeSeizure(t, (await makeCase(t)).id); // another case's seizure stays out
    const first = await t.http.get(`/api/v1/cases/${c.id}/seizures?limit=2`).set(auth(t.tokens.auditor));
    expect(first.status).toBe(200);
    expect(first.body.items.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 2));
    const second = await t.http
      .get(`/api/v1/cases/${c.id}/seizures?limit=2&cursor=${first.body.nextCursor}`)
      .set(auth(t.tokens.auditor));
    expect(second.body).toMatchObject({ items: [{ id: ids[2] }], nextCursor: null });
  });

  it('answers 404 for an unknown seizure or case', async () => {
    expectProblem(
      await t.http.get('/api/v1/seizures/szr_nope').set(auth(t.tokens.clerk)),
      404,
      'seizure_not_found',
    );
    expectProblem(
      await t.http.get('/api/v1/cases/case_nope/seizures').set(auth(t.tokens.clerk)),
      404,
      'case_not_found',
    );
  });
});
