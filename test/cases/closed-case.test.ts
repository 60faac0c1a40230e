import { describe, expect, it } from 'vitest';
import { makeItem, makeShelf, record } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { itemFields, seizureBody } from '../items/fixtures';

const t = makeTestApp();

async function closeCaseOf(evidenceNo: string) {
  const item = await t.http.get(`/api/v1/items/${evidenceNo}`).set(auth(t.tokens.clerk));
  const { caseId, seizureId } = item.body as { caseId: string; seizureId: string };
  const res = await t.http
    .post(`/api/v1/cases/${caseId}/status`)
    .set(auth(t.tokens.supervisor))
    .send({ status: 'closed', reason: 'judgment in force; destruction ordered' });
  expect(res.status).toBe(200);
  return { caseId, seizureId };
}

describe('a closed case', () => {
  it('refuses new seizures, items and imports with 409 case_closed, writing nothing', async () => {
    const ev = await makeItem(t);
    const { caseId, seizureId } = await closeCaseOf(ev);
    const before = t.head();
    const seizure = await t.http
      .post(`/api/v1/cases/${caseId}/seizures`)
      .set(auth(t.tokens.clerk))
      .send(seizureBody());
    expectProblem(seizure, 409, 'case_closed');
    expect(seizure.body.caseId).toBe(caseId);
    const item = await t.http
      .post('/api/v1/items')
      .set(auth(t.tokens.clerk))
      .send({ caseId, seizureId, ...itemFields() });
    expectProblem(item, 409, 'case_closed');
    const imported = await t.http
      .post('/api/v1/items/import')
      .query({ caseId, seizureId })
      .set(auth(t.tokens.clerk))
      .send([itemFields()]);
    expectProblem(imported, 409, 'case_closed');
    expect(t.head()).toBe(before);
  });

  it('keeps recording custody of the items it already holds', async () => {
    const ev = await makeItem(t);
    await closeCaseOf(ev);
    const shelf = await makeShelf(t);
    const received = await record(t, ev, { type: 'received', locationCode: shelf.code });
    expect(received.item.status).toBe('in_storage');
    await record(t, ev, { type: 'note', text: 'awaiting destruction' });
  });

  it('takes seizures again once reopened', async () => {
    const ev = await makeItem(t);
    const { caseId } = await closeCaseOf(ev);
    const reopened = await t.http
      .post(`/api/v1/cases/${caseId}/status`)
      .set(auth(t.tokens.supervisor))
      .send({ status: 'open', reason: 'appeal granted' });
    expect(reopened.status).toBe(200);
    const seizure = await t.http
      .post(`/api/v1/cases/${caseId}/seizures`)
      .set(auth(t.tokens.clerk))
      .send(seizureBody());
    expect(seizure.status).toBe(201);
  });
});
