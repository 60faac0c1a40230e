import { describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { makeItems, makeParty, nextWeek, record } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { act, approved, authority, courtOrder, makeUser, propose, proposed, stockedItems } from './fixtures';

const t = makeTestApp();
const UNKNOWN = formatEvidenceNo(26, 9_999_999).compact;
const supervisor2 = makeUser(t, 'supervisor', 'supervisor2');

describe('POST /disposals', () => {
  it('records a clerk’s proposal with its authority and attached court order', async () => {
    const { evidenceNos, caseId } = await stockedItems(t, 3);
    const order = await courtOrder(t, 'propose-1');
    const before = t.head();
    const res = await propose(t, {
      items: evidenceNos,
      authority: authority({ document: order }),
      note: 'Court order of 20 Feb',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'proposed',
      disposition: 'destroy',
      authority: { kind: 'court_order', number: '2-1187/2026', date: '2026-02-20', document: order },
      documents: [order],
      caseId,
      counts: { items: 3, scanned: 0, missing: 0, openDiscrepancies: 0 },
      proposedBy: { id: t.userIds.clerk },
      decidedBy: null,
    });
    expect(t.head()).toBe(before + 1);
    const items = await t.http.get(`/api/v1/disposals/${res.body.id}/items`).set(auth(t.tokens.prosecutor));
    expect(items.body.items.map((i: { evidenceNo: string }) => i.evidenceNo)).toEqual(evidenceNos);
    expect(items.body.items[0]).toMatchObject({
      position: 1,
      outcome: 'pending',
      status: 'in_storage',
      make: 'Bitmain',
    });
  });

  it('takes a case with filters as the selection', async () => {
    const { evidenceNos, caseId, shelf } = await stockedItems(t, 4);
    const res = await propose(t, {
      selection: { caseId, category: 'asic_miner', locationCode: shelf.printed },
    });
    expect(res.status).toBe(201);
    expect(res.body.counts.items).toBe(4);
    const none = await propose(t, { selection: { caseId, category: 'transformer' } });
    expectProblem(none, 409, 'items_not_eligible');
    expect(none.body.items).toEqual([]);
    expect(evidenceNos).toHaveLength(4);
  });

  it('refuses the whole proposal, listing every offending item, and writes nothing', async () => {
    const { evidenceNos } = await stockedItems(t, 5);
    const [ok, out, inOther, ,] = evidenceNos as [string, string, string, string, string];
    const [unreceived] = await makeItems(t, 1);
    const court = await makeParty(t);
    await record(t, out, { type: 'checked_out', partyId: court.id, purpose: 'hearing', dueAt: nextWeek() });
    await proposed(t, { items: [inOther] });
    const before = t.head();
    const res = await propose(t, {
      items: [ok, out, inOther, unreceived, 'EV-26-0000001-1', UNKNOWN, ok],
    });
    expectProblem(res, 409, 'items_not_eligible');
    expect(res.body.items).toEqual([
      { evidenceNo: 'EV-26-0000001-1', code: 'invalid_check_digit', detail: expect.any(String) },
      { evidenceNo: UNKNOWN, code: 'item_not_found', detail: expect.any(String) },
      { evidenceNo: ok, code: 'duplicate_in_list', detail: 'named twice in the list' },
      { evidenceNo: out, code: 'checked_out', status: 'checked_out', detail: expect.any(String) },
      {
        evidenceNo: inOther,
        code: 'in_open_disposal',
        status: 'in_storage',
        disposalId: expect.any(String),
        detail: expect.any(String),
      },
      { evidenceNo: unreceived, code: 'not_in_storage', status: 'registered', detail: expect.any(String) },
    ]);
    expect(t.head()).toBe(before);
  });

  it('refuses an item already disposed of', async () => {
    const { evidenceNos } = await stockedItems(t, 1);
    const id = await approved(t, evidenceNos);
    await t.http
      .post(`/api/v1/disposals/${id}/items`)
      .set(auth(t.tokens.clerk))
      .send({ code: evidenceNos[0] });
    const done = await act(t, id, 'complete', {
      place: 'yard',
      method: 'crushing',
      witnesses: [{ user: 'auditor1' }, { user: 'prosecutor1' }],
    });
    expect(done.status).toBe(200);
    const before = t.head();
    const res = await propose(t, { items: evidenceNos });
    expectProblem(res, 409, 'items_not_eligible');
    expect(res.body.items).toEqual([
      { evidenceNo: evidenceNos[0], code: 'disposed', status: 'destroyed', detail: 'already destroyed' },
    ]);
    expect(t.head()).toBe(before);
  });

  it('refuses an unknown document, both items and a selection, and roles that may not propose', async () => {
    const { evidenceNos, caseId } = await stockedItems(t, 1);
    const before = t.head();
    expectProblem(
      await propose(t, { items: evidenceNos, authority: authority({ document: 'b'.repeat(64) }) }),
      404,
      'document_not_found',
    );
    expectProblem(await propose(t, { items: evidenceNos, selection: { caseId } }), 400, 'validation_failed');
    expectProblem(await propose(t, { items: evidenceNos }, t.tokens.prosecutor), 403, 'forbidden');
    expectProblem(await propose(t, { items: evidenceNos }, t.tokens.auditor), 403, 'forbidden');
    expect(t.head()).toBe(before);
  });
});

describe('POST /disposals/:id/approve, reject, cancel', () => {
  it('refuses approval by the proposer with 403 same_person', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    const d = await proposed(t, { items: evidenceNos }, t.tokens.supervisor);
    const before = t.head();
    const res = await act(t, d.id, 'approve');
    expectProblem(res, 403, 'same_person');
    expect(t.head()).toBe(before);
    expect((await act(t, d.id, 'reject', { reason: 'mine' })).status).toBe(403);
    const ok = await act(t, d.id, 'approve', {}, supervisor2.token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: { id: supervisor2.id } });
  });

  it('approval authorises every item in the same transaction', async () => {
    const { evidenceNos } = await stockedItems(t, 3);
    const d = await proposed(t, { items: evidenceNos });
    const before = t.head();
    const res = await act(t, d.id, 'approve', { note: 'order checked against the original' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'approved',
      decidedBy: { id: t.userIds.supervisor },
      decisionReason: 'order checked against the original',
    });
    expect(t.head()).toBe(before + 1 + 3);
    for (const ev of evidenceNos) {
      const item = await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk));
      expect(item.body.status).toBe('disposal_authorised');
    }
    const history = await t.http.get(`/api/v1/items/${evidenceNos[0]}/history`).set(auth(t.tokens.clerk));
    expect(history.body.events.at(-1)).toMatchObject({
      type: 'disposal_authorised',
      data: { disposalId: d.id, disposition: 'destroy', authority: { number: '2-1187/2026' } },
    });
    expectProblem(await act(t, d.id, 'approve', {}, supervisor2.token), 409, 'disposal_not_pending');
  });

  it('refuses approval when an item was checked out since the proposal, and writes nothing', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    const d = await proposed(t, { items: evidenceNos });
    const court = await makeParty(t);
    await record(t, evidenceNos[1]!, {
      type: 'checked_out',
      partyId: court.id,
      purpose: 'expert',
      dueAt: nextWeek(),
    });
    const before = t.head();
    const res = await act(t, d.id, 'approve');
    expectProblem(res, 409, 'items_not_eligible');
    expect(res.body.items).toEqual([
      { evidenceNo: evidenceNos[1], code: 'checked_out', status: 'checked_out', detail: expect.any(String) },
    ]);
    expect(t.head()).toBe(before);
    const item = await t.http.get(`/api/v1/items/${evidenceNos[0]}`).set(auth(t.tokens.clerk));
    expect(item.body.status).toBe('in_storage');
  });

  it('rejects with a reason; only the proposer cancels, and only before approval', async () => {
    const { evidenceNos } = await stockedItems(t, 2);
    const a = await proposed(t, { items: [evidenceNos[0]] });
    expectProblem(await act(t, a.id, 'reject', {}), 400, 'validation_failed');
    const rejected = await act(t, a.id, 'reject', { reason: 'the order names other serials' });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decisionReason: 'the order names other serials',
    });
    expectProblem(await act(t, a.id, 'approve'), 409, 'disposal_not_pending');

    const b = await proposed(t, { items: [evidenceNos[1]] });
    const before = t.head();
    expectProblem(await act(t, b.id, 'cancel', {}, supervisor2.token), 403, 'not_proposer');
    expect(t.head()).toBe(before);
    const cancelled = await act(t, b.id, 'cancel', { reason: 'wrong batch' }, t.tokens.clerk);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', decisionReason: 'wrong batch' });
    // Rejected and cancelled disposals hold nothing: the items may be proposed again.
    expect((await propose(t, { items: evidenceNos })).status).toBe(201);

    const c = await approved(t, [(await stockedItems(t, 1)).evidenceNos[0]!]);
    expectProblem(await act(t, c, 'cancel', { reason: 'x' }, t.tokens.clerk), 403, 'forbidden');
  });

  it('a supervisor cancels an approved disposal with a reason, putting its items back in storage', async () => {
    const { evidenceNos } = await stockedItems(t, 3);
    const id = await approved(t, evidenceNos);
    const before = t.head();
    expectProblem(await act(t, id, 'cancel', {}), 400, 'validation_failed');
    expect(t.head()).toBe(before);
    const res = await act(t, id, 'cancel', { reason: 'order 2-1187/2026 set aside on appeal' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      decisionReason: 'order 2-1187/2026 set aside on appeal',
    });
    expect(t.head()).toBe(before + 1 + 3);
    for (const ev of evidenceNos) {
      const item = await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.clerk));
      expect(item.body.status).toBe('in_storage');
    }
    const history = await t.http.get(`/api/v1/items/${evidenceNos[0]}/history`).set(auth(t.tokens.clerk));
    expect(history.body.events.at(-1)).toMatchObject({
      type: 'disposal_cancelled',
      data: { disposalId: id },
    });

    const started = await approved(t, [(await stockedItems(t, 1)).evidenceNos[0]!]);
    const items = await t.http.get(`/api/v1/disposals/${started}/items`).set(auth(t.tokens.clerk));
    await t.http
      .post(`/api/v1/disposals/${started}/items`)
      .set(auth(t.tokens.clerk))
      .send({ code: items.body.items[0].evidenceNo });
    const mid = t.head();
    expectProblem(await act(t, started, 'cancel', { reason: 'x' }), 409, 'disposal_in_progress');
    expect(t.head()).toBe(mid);
  });

  it('answers 404 for an unknown disposal', async () => {
    expectProblem(await act(t, 'dsp_nothing', 'approve'), 404, 'disposal_not_found');
    expectProblem(
      await t.http.get('/api/v1/disposals/dsp_nothing').set(auth(t.tokens.clerk)),
      404,
      'disposal_not_found',
    );
  });
});

describe('GET /disposals', () => {
  it('lists by status, paged', async () => {
    const all = await t.http.get('/api/v1/disposals?limit=2').set(auth(t.tokens.prosecutor));
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await t.http
      .get(`/api/v1/disposals?limit=2&cursor=${all.body.nextCursor}`)
      .set(auth(t.tokens.prosecutor));
    expect(next.body.items[0].id).not.toBe(all.body.items[1].id);
    const rejected = await t.http
      .get('/api/v1/disposals?status=rejected&limit=500')
      .set(auth(t.tokens.clerk));
    expect(rejected.body.items.length).toBeGreaterThan(0);
    expect(rejected.body.items.every((d: { status: string }) => d.status === 'rejected')).toBe(true);
  });
});
