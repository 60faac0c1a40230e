import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { makeItems, makeParty, makeShelf, nextWeek } from './fixtures';

const t = makeTestApp();
const db = () => t.app.locals.ctx.db.sqlite;
const batch = (events: unknown, role: 'clerk' | 'prosecutor' = 'clerk') =>
  t.http.post('/api/v1/events/batch').set(auth(t.tokens[role])).send({ events });

describe('POST /events/batch', () => {
  it('receives 240 miners onto one shelf and moves them to another, in two scan sessions', async () => {
    const evs = await makeItems(t, 240);
    const a = await makeShelf(t, 'Intake');
    const b = await makeShelf(t, 'Shelf B');
    const before = t.head();
    const received = await batch(
      evs.map((evidenceNo) => ({
        evidenceNo,
        event: { type: 'received', locationCode: a.code, occurredAt: '2022-02-20T09:00:00+05:00' },
      })),
    );
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ count: 240, firstSeq: before + 1, lastSeq: before + 240 });
    const moved = await batch(
      evs.map((evidenceNo, i) => ({
        evidenceNo: i % 2 ? evidenceNo.toLowerCase() : evidenceNo,
        event: { type: 'moved', locationCode: b.printed, occurredAt: '2022-03-01T09:00:00+05:00' },
      })),
    );
    expect(moved.status).toBe(201);
    expect(t.head()).toBe(before + 480);
    const there = db().prepare('SELECT count(*) AS n FROM items WHERE location_code = ?').get(b.code) as {
      n: number;
    };
    expect(there.n).toBe(240);
    const shown = await t.http
      .get(`/api/v1/locations/${b.code}`)
      .query({ limit: 500 })
      .set(auth(t.tokens.prosecutor));
    expect(shown.body.items.items).toHaveLength(240);
  });

  it('names the entry that set a time bound, not a seq the refused batch never wrote', async () => {
    const [ev] = await makeItems(t, 1);
    const shelf = await makeShelf(t);
    const at = (occurredAt: string) => ({ evidenceNo: ev!, event: { type: 'note', text: 'x', occurredAt } });
    const before = t.head();
    const res = await batch([
      {
        evidenceNo: ev!,
        event: { type: 'received', locationCode: shelf.code, occurredAt: '2022-02-20T09:00:00Z' },
      },
      at('2022-02-21T09:00:00Z'),
      at('2022-02-20T10:00:00Z'),
    ]);
    expectProblem(res, 400, 'batch_invalid');
    expect(res.body.errors).toEqual([
      expect.objectContaining({ index: 2, code: 'occurred_before_previous_event', boundEntry: 1 }),
    ]);
    expect(res.body.errors[0].detail).toContain('(entry #1 of this batch)');
    expect(res.body.errors[0]).not.toHaveProperty('boundSeq');
    expect(t.head()).toBe(before);
  });

  it('one bad item among 240 → nothing written, the bad one named by index and evidence number', async () => {
    const evs = await makeItems(t, 240);
    const shelf = await makeShelf(t);
    const entries = evs.map((evidenceNo) => ({
      evidenceNo,
      event: { type: 'received', locationCode: shelf.code },
    }));
    const wrong = `${evs[117]!.slice(0, 11)}${(Number(evs[117]![11]) + 1) % 10}`;
    entries[117] = { evidenceNo: wrong, event: entries[117]!.event };
    const before = t.head();
    const res = await batch(entries);
    expectProblem(res, 400, 'batch_invalid');
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        index: 117,
        evidenceNo: wrong,
        code: 'invalid_check_digit',
        detail: expect.any(String),
      }),
    ]);
    expect(t.head()).toBe(before);
    const statuses = db()
      .prepare(`SELECT DISTINCT status FROM items WHERE evidence_no IN (${evs.map(() => '?').join(',')})`)
      .all(...evs);
    expect(statuses).toEqual([{ status: 'registered' }]);
  });

  it('lists every refused entry with its own code', async () => {
    const evs = await makeItems(t, 5);
    const shelf = await makeShelf(t);
    const court = await makeParty(t);
    const res = await batch([
      { evidenceNo: evs[0], event: { type: 'received', locationCode: shelf.code } },
      { evidenceNo: evs[1], event: { type: 'moved', locationCode: shelf.code } },
      {
        evidenceNo: evs[2],
        event: {
          type: 'valued',
          amountMinor: 1.5,
          currency: 'USD',
          method: 'book_value',
          appraiser: 'A',
          asOf: '2022-01-01',
        },
      },
      { evidenceNo: 'EV9999999990', event: { type: 'note', text: 'x' } },
      { evidenceNo: evs[3], event: { type: 'correction', corrects: 1, reason: 'x', fields: { a: 1 } } },
      { evidenceNo: evs[4], event: { type: 'received', locationCode: 'LC99999992' } },
      {
        evidenceNo: evs[0],
        event: { type: 'checked_out', partyId: court.id, purpose: 'court', dueAt: nextWeek() },
      },
    ]);
    expectProblem(res, 400, 'batch_invalid');
    expect(res.body.errors.map((e: { index: number; code: string }) => [e.index, e.code])).toEqual([
      [1, 'invalid_transition'],
      [2, 'validation_failed'],
      [3, 'item_not_found'],
      [4, 'forbidden'],
      [5, 'location_not_found'],
    ]);
    expect(res.body.errors[0]).toMatchObject({ currentStatus: 'registered', evidenceNo: evs[1] });
  });

  it('applies entries in order: an item received and checked out in one session', async () => {
    const [ev] = await makeItems(t, 1);
    const shelf = await makeShelf(t);
    const lab = await makeParty(t, { kind: 'forensic_lab' });
    const res = await batch([
      { evidenceNo: ev, event: { type: 'received', locationCode: shelf.code } },
      { evidenceNo: ev, event: { type: 'checked_out', partyId: lab.id, purpose: 'lab', dueAt: nextWeek() } },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['in_storage', 'checked_out']);
  });

  it('refuses an empty batch, more than 5,000 entries, and a prosecutor', async () => {
    const before = t.head();
    expectProblem(await batch([]), 400, 'validation_failed');
    const many = Array.from({ length: 5001 }, () => ({
      evidenceNo: 'EV2600000011',
      event: { type: 'note', text: 'x' },
    }));
    expectProblem(await batch(many), 400, 'validation_failed');
    expectProblem(
      await batch([{ evidenceNo: 'EV2600000011', event: { type: 'note', text: 'x' } }], 'prosecutor'),
      403,
      'forbidden',
    );
    expect(t.head()).toBe(before);
  });
});
