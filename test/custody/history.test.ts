import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { makeItem, makeItems, makeParty, makeShelf, nextWeek, postEvent, record } from './fixtures';

const t = makeTestApp();

describe('GET /items/:evidenceNo/history', () => {
  it('shows every event in order with actor names, and corrections tied to what they correct', async () => {
    const ev = await makeItem(t);
    const shelf = await makeShelf(t);
    const court = await makeParty(t);
    await record(t, ev, { type: 'received', locationCode: shelf.code });
    await record(t, ev, { type: 'transferred', custodian: 'supervisor1' });
    const out = await record(
      t,
      ev,
      { type: 'checked_out', partyId: court.id, purpose: 'hearing', dueAt: nextWeek() },
      'supervisor',
    );
    const fix = await record(
      t,
      ev,
      {
        type: 'correction',
        corrects: out.seq,
        reason: 'wrong purpose',
        fields: { purpose: 'appeal hearing' },
      },
      'supervisor',
    );
    for (const role of ['prosecutor', 'auditor'] as const) {
      const res = await t.http.get(`/api/v1/items/${ev.toLowerCase()}/history`).set(auth(t.tokens[role]));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ evidenceNo: ev, status: 'checked_out' });
      expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([
        'registered',
        'received',
        'transferred',
        'checked_out',
        'correction',
      ]);
      expect(res.body.events.map((e: { actor: { name: string } }) => e.actor.name)).toEqual([
        'Test clerk',
        'Test clerk',
        'Test clerk',
        'Test supervisor',
        'Test supervisor',
      ]);
      const corrected = res.body.events[3];
      const correction = res.body.events[4];
      expect(corrected).toMatchObject({ seq: out.seq, correctedBy: [fix.seq], data: { purpose: 'hearing' } });
      expect(correction).toMatchObject({ seq: fix.seq, corrects: out.seq, ledgerType: 'item_correction' });
    }
    const item = await t.http.get(`/api/v1/items/${ev}`).set(auth(t.tokens.prosecutor));
    expect(item.status).toBe(200);
  });

  it('answers 404 for an unknown item and 400 for a wrong check digit', async () => {
    expectProblem(
      await t.http.get('/api/v1/items/EV9999999990/history').set(auth(t.tokens.clerk)),
      404,
      'item_not_found',
    );
    expectProblem(
      await t.http.get('/api/v1/items/EV9999999991/history').set(auth(t.tokens.clerk)),
      400,
      'invalid_check_digit',
    );
  });

  it('lets a prosecutor and an auditor read history but post no event and no batch', async () => {
    const ev = await makeItem(t);
    const before = t.head();
    for (const role of ['prosecutor', 'auditor'] as const) {
      expect((await t.http.get(`/api/v1/items/${ev}/history`).set(auth(t.tokens[role]))).status).toBe(200);
      expectProblem(await postEvent(t, ev, { type: 'note', text: 'x' }, role), 403, 'forbidden');
      const batch = await t.http
        .post('/api/v1/events/batch')
        .set(auth(t.tokens[role]))
        .send({ events: [{ evidenceNo: ev, event: { type: 'note', text: 'x' } }] });
      expectProblem(batch, 403, 'forbidden');
    }
    expect(t.head()).toBe(before);
  });
});

describe('verify after a realistic sequence', () => {
  it('stays ok: projections rebuild identically', async () => {
    const evs = await makeItems(t, 30);
    const a = await makeShelf(t, 'Intake');
    const b = await makeShelf(t, 'Long-term');
    const court = await makeParty(t);
    const lab = await makeParty(t, { kind: 'forensic_lab', name: 'Lab' });
    const send = (events: unknown[]) =>
      t.http.post('/api/v1/events/batch').set(auth(t.tokens.clerk)).send({ events });
    expect(
      (
        await send(
          evs.map((evidenceNo) => ({ evidenceNo, event: { type: 'received', locationCode: a.code } })),
        )
      ).status,
    ).toBe(201);
    expect(
      (await send(evs.map((evidenceNo) => ({ evidenceNo, event: { type: 'moved', locationCode: b.code } }))))
        .status,
    ).toBe(201);
    const [e0, e1, e2, e3] = evs as [string, string, string, string];
    await record(t, e0, { type: 'checked_out', partyId: court.id, purpose: 'hearing', dueAt: nextWeek() });
    await record(t, e0, {
      type: 'returned',
      locationCode: a.code,
      condition: 'good',
      seal: 'broken',
      newSealNo: 'N-1',
    });
    const out = await record(t, e1, {
      type: 'checked_out',
      partyId: lab.id,
      purpose: 'lab',
      dueAt: nextWeek(),
    });
    await record(
      t,
      e1,
      {
        type: 'correction',
        corrects: out.seq,
        reason: 'due later',
        fields: { dueAt: '2099-01-01T00:00:00+05:00' },
      },
      'supervisor',
    );
    for (const ev of [e2, e3]) {
      await record(t, ev, {
        type: 'valued',
        amountMinor: 450_000,
        currency: 'USD',
        method: 'market_comparison',
        appraiser: 'A',
        asOf: '2021-12-01',
      });
      await record(t, ev, {
        type: 'valued',
        amountMinor: 95_000,
        currency: 'USD',
        method: 'market_comparison',
        appraiser: 'A',
        asOf: '2022-11-01',
      });
    }
    await record(t, e2, { type: 'transferred', custodian: 'supervisor1' });
    await record(t, e3, { type: 'seal_changed', newSealNo: 'S-2', reason: 'photos' });
    t.app.locals.ctx.ledger.writeNow((tx) => {
      const base = { entityType: 'item', entityId: e3, actor: t.userIds.supervisor };
      tx.append({ ...base, type: 'item_disposal_authorised', data: { reference: 'Order 1' } });
      tx.append({ ...base, type: 'item_sold', data: { buyer: 'X', proceedsMinor: 1 } });
    });
    await record(t, e3, { type: 'note', text: 'sale closed' });
    const result = verifyLedger(t.app.locals.ctx.db, { projectors });
    expect(result.damage).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.projectionsChecked).toBe(true);
  });
});

describe('GET /items/:evidenceNo/history pages with limit and cursor', () => {
  it('walks every event once, and a correction is listed on the page of the event it corrects', async () => {
    const ev = await makeItem(t);
    const notes: number[] = [];
    for (let i = 0; i < 4; i++) notes.push((await record(t, ev, { type: 'note', text: `note ${i}` })).seq);
    const fix = await record(
      t,
      ev,
      { type: 'correction', corrects: notes[0]!, reason: 'typo', fields: { text: 'note zero' } },
      'supervisor',
    );
    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = cursor ? { limit: 2, cursor } : { limit: 2 };
      const res = await t.http.get(`/api/v1/items/${ev}/history`).query(query).set(auth(t.tokens.prosecutor));
      expect(res.status).toBe(200);
      const events = res.body.events as { seq: number; correctedBy: number[] }[];
      sizes.push(events.length);
      seen.push(...events.map((e) => e.seq));
      const corrected = events.find((e) => e.seq === notes[0]);
      if (corrected) expect(corrected.correctedBy).toEqual([fix.seq]);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 2]);
    expect(seen).toHaveLength(6);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expectProblem(
      await t.http.get(`/api/v1/items/${ev}/history?cursor=nope`).set(auth(t.tokens.prosecutor)),
      400,
      'invalid_cursor',
    );
  });
});
