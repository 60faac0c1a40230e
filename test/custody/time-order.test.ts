import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { itemFields, makeCaseWithSeizure } from '../items/fixtures';
import { makeItem, makeShelf, postEvent, record } from './fixtures';

const t = makeTestApp();

/** An item registered through the API at `occurredAt`, in a fresh case and seizure. */
async function registerAt(occurredAt: string): Promise<string> {
  const { caseId, seizureId } = await makeCaseWithSeizure(t);
  const res = await t.http
    .post('/api/v1/items')
    .set(auth(t.tokens.clerk))
    .send({ caseId, seizureId, ...itemFields(), occurredAt });
  if (res.status !== 201) throw new Error(`registerAt: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.evidenceNo;
}

// The fixtures' seizure is dated 2022-02-14T06:30:00+06:00 and makeItem registers at it.
describe('time order of an item’s events', () => {
  it('refuses a move dated before the receipt (the item’s latest event), writing nothing', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const received = await record(t, ev, {
      type: 'received',
      locationCode: shelf.code,
      occurredAt: '2022-02-20T10:00:00+06:00',
    });
    const before = t.head();
    const res = await postEvent(t, ev, {
      type: 'moved',
      locationCode: shelf.code,
      occurredAt: '2022-02-19T10:00:00+06:00',
    });
    expectProblem(res, 409, 'occurred_before_previous_event');
    expect(res.body).toMatchObject({
      field: 'occurredAt',
      notBefore: '2022-02-20T10:00:00+06:00',
      boundSeq: received.seq,
    });
    expect(t.head()).toBe(before);
    // The same instant as the latest event is not before it.
    await record(t, ev, { type: 'note', text: 'same minute', occurredAt: '2022-02-20T05:00:00Z' });
  });

  it('orders times below the millisecond as written', async () => {
    const ev = await makeItem(t);
    await record(t, ev, { type: 'note', text: 'later', occurredAt: '2022-03-01T00:00:00.0009Z' });
    const before = t.head();
    const res = await postEvent(t, ev, { type: 'note', text: 'x', occurredAt: '2022-03-01T00:00:00.0001Z' });
    expectProblem(res, 409, 'occurred_before_previous_event');
    expect(t.head()).toBe(before);
    await record(t, ev, { type: 'note', text: 'same', occurredAt: '2022-03-01T00:00:00.000900Z' });
  });

  it('refuses a receipt dated 1990, before the seizure', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const before = t.head();
    const res = await postEvent(t, ev, {
      type: 'received',
      locationCode: shelf.code,
      occurredAt: '1990-01-01T00:00:00+06:00',
    });
    expectProblem(res, 409, 'occurred_before_seizure');
    expect(res.body.notBefore).toBe('2022-02-14T06:30:00+06:00');
    expect(t.head()).toBe(before);
  });

  it('refuses an event after the seizure but before a later registration', async () => {
    const ev = await registerAt('2022-02-16T09:00:00+06:00');
    const before = t.head();
    const res = await postEvent(t, ev, {
      type: 'note',
      text: 'seen at the farm',
      occurredAt: '2022-02-15T09:00:00+06:00',
    });
    expectProblem(res, 409, 'occurred_before_registration');
    expect(t.head()).toBe(before);
  });

  it('refuses a registration or an import dated before the seizure', async () => {
    const { caseId, seizureId } = await makeCaseWithSeizure(t);
    const before = t.head();
    const one = await t.http
      .post('/api/v1/items')
      .set(auth(t.tokens.clerk))
      .send({ caseId, seizureId, ...itemFields(), occurredAt: '2022-02-13T09:00:00+06:00' });
    expectProblem(one, 409, 'occurred_before_seizure');
    const many = await t.http
      .post('/api/v1/items/import')
      .query({ caseId, seizureId, occurredAt: '2022-02-13T03:00:00Z' })
      .set(auth(t.tokens.clerk))
      .send([itemFields()]);
    expectProblem(many, 409, 'occurred_before_seizure');
    expect(t.head()).toBe(before);
  });

  it('refuses a correction that moves an event before the registration', async () => {
    const ev = await registerAt('2022-02-16T09:00:00+06:00');
    const note = await record(t, ev, { type: 'note', text: 'x', occurredAt: '2022-02-17T09:00:00+06:00' });
    const before = t.head();
    const fields = { occurredAt: '2022-02-15T09:00:00+06:00' };
    const correction = { type: 'correction', corrects: note.seq, reason: 'wrong day', fields };
    const res = await postEvent(t, ev, correction, 'supervisor');
    expectProblem(res, 409, 'occurred_before_registration');
    expect(t.head()).toBe(before);
  });

  it('refuses a correction that moves an event out of its place between its neighbours', async () => {
    const ev = await registerAt('2022-02-16T09:00:00+06:00');
    const first = await record(t, ev, { type: 'note', text: 'a', occurredAt: '2022-02-17T09:00:00+06:00' });
    const middle = await record(t, ev, { type: 'note', text: 'b', occurredAt: '2022-02-18T09:00:00+06:00' });
    await record(t, ev, { type: 'note', text: 'c', occurredAt: '2022-02-19T09:00:00+06:00' });
    const before = t.head();
    const correction = (seq: number, occurredAt: string) => ({
      type: 'correction',
      corrects: seq,
      reason: 'wrong time',
      fields: { occurredAt },
    });
    const correct = (occurredAt: string) =>
      postEvent(t, ev, correction(middle.seq, occurredAt), 'supervisor');
    const early = await correct('2022-02-17T08:00:00+06:00');
    expectProblem(early, 409, 'occurred_before_previous_event');
    expect(early.body).toMatchObject({ notBefore: '2022-02-17T09:00:00+06:00', boundSeq: first.seq });
    const late = await correct('2022-02-19T10:00:00+06:00');
    expectProblem(late, 409, 'occurred_after_next_event');
    expect(late.body.notAfter).toBe('2022-02-19T09:00:00+06:00');
    expect(t.head()).toBe(before);
    // Within its neighbours it is accepted; the neighbour's corrected time is the bound from then on.
    await record(t, ev, correction(first.seq, '2022-02-17T12:00:00+06:00'), 'supervisor');
    expectProblem(await correct('2022-02-17T11:00:00+06:00'), 409, 'occurred_before_previous_event');
    await record(t, ev, correction(middle.seq, '2022-02-18T20:00:00+06:00'), 'supervisor');
  });

  it('accepts an undated event after one a client dated a few seconds ahead (clock skew)', async () => {
    const ev = await makeItem(t);
    const ahead = new Date(Date.now() + 30_000).toISOString();
    await record(t, ev, { type: 'note', text: 'clock ahead', occurredAt: ahead });
    await record(t, ev, { type: 'note', text: 'server time' });
  });
});
