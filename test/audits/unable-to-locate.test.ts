import { describe, expect, it } from 'vitest';
import { formatLocationCode } from '../../src/lib/codes';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { closeAudit, makeItems, makeRoom, receiveAll, scanEach, startAudit } from './fixtures';

const t = makeTestApp();
// Monday 4 January 2027, 09:00 in Almaty; the clock only moves forward from here.
let now = new Date('2027-01-04T04:00:00Z');
t.setNow(now);
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
  t.setNow(now);
};
const DAY = 86_400_000;
const db = () => t.app.locals.ctx.db.sqlite;
const item = (ev: string) =>
  db().prepare('SELECT status, location_code FROM items WHERE evidence_no = ?').get(ev) as {
    status: string;
    location_code: string | null;
  };
const lastEvents = (n: number) =>
  (
    db().prepare('SELECT type, entity_id, data FROM events ORDER BY seq DESC LIMIT ?').all(n) as {
      type: string;
      entity_id: string;
      data: string;
    }[]
  ).reverse();

const resolve = (
  ev: string,
  body: Record<string, unknown>,
  role: 'supervisor' | 'clerk' | 'auditor' = 'supervisor',
) => t.http.post(`/api/v1/audits/unable-to-locate/${ev}/resolve`).set(auth(t.tokens[role])).send(body);

/** Closes an audit of a shelf on which `missing` items were not found. */
async function missingItems(n: number) {
  const { shelves } = await makeRoom(t, 2);
  const items = await makeItems(t, n + 1);
  await receiveAll(t, items, shelves[0]!.code);
  const audit = await startAudit(t, { locationCode: shelves[0]!.code });
  await scanEach(t, audit.id, [shelves[0]!.code, items[0]!]);
  const closed = await closeAudit(t, audit.id, {}, 'auditor');
  expect(closed.status).toBe(201);
  return { shelves, audit, missing: items.slice(1) };
}

describe('the unable-to-locate queue', () => {
  it('lists what an audit could not find, due five working days after the close, and shows overdue ones', async () => {
    const { audit, missing, shelves } = await missingItems(2); // closed on Monday 4 January
    advance(4 * DAY);
    const res = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}`)
      .set(auth(t.tokens.auditor));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      missing.map((ev) =>
        expect.objectContaining({
          auditId: audit.id,
          evidenceNo: ev,
          itemStatus: 'missing',
          lastLocation: expect.objectContaining({ code: shelves[0]!.code }),
          dueAt: '2027-01-11T04:00:00.000Z',
          overdue: false,
          status: 'open',
        }),
      ),
    );
    expect(missing.map((ev) => item(ev).status)).toEqual(['missing', 'missing']);
    advance(3 * DAY + 1);
    const overdue = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}&overdue=true`)
      .set(auth(t.tokens.supervisor));
    expect(
      overdue.body.items.map((e: { evidenceNo: string; overdue: boolean }) => [e.evidenceNo, e.overdue]),
    ).toEqual(missing.map((ev) => [ev, true]));
    const notOverdue = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}&overdue=false`)
      .set(auth(t.tokens.supervisor));
    expect(notOverdue.body.items).toEqual([]);
    const page = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}&limit=1`)
      .set(auth(t.tokens.clerk));
    expect(page.body.items).toHaveLength(1);
    const next = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}&limit=1&cursor=${page.body.nextCursor}`)
      .set(auth(t.tokens.clerk));
    expect(next.body.items.map((e: { evidenceNo: string }) => e.evidenceNo)).toEqual([missing[1]]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('a supervisor resolves one as found: the item is received where it was found', async () => {
    const { audit, missing, shelves } = await missingItems(1);
    const ev = missing[0]!;
    const before = t.head();
    const res = await resolve(ev.toLowerCase(), {
      resolution: 'found',
      locationCode: shelves[1]!.printed,
      note: 'Behind shelf B',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      evidenceNo: ev,
      resolution: 'found',
      itemStatus: 'in_storage',
      settles: [audit.id],
    });
    expect(item(ev)).toEqual({ status: 'in_storage', location_code: shelves[1]!.code });
    expect(t.head()).toBe(before + 2);
    const [received, resolved] = lastEvents(2);
    expect(received).toMatchObject({ type: 'item_received', entity_id: ev });
    expect(JSON.parse(resolved!.data)).toMatchObject({
      auditId: audit.id,
      evidenceNo: ev,
      resolution: 'found',
      locationCode: shelves[1]!.code,
      note: 'Behind shelf B',
      settles: [audit.id],
      itemEventSeq: before + 1,
    });
    const listed = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}&status=found`)
      .set(auth(t.tokens.clerk));
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        evidenceNo: ev,
        status: 'found',
        resolvedBy: { id: t.userIds.supervisor, name: 'Test supervisor' },
        foundLocation: expect.objectContaining({ code: shelves[1]!.code }),
        overdue: false,
      }),
    ]);
    const open = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}`)
      .set(auth(t.tokens.clerk));
    expect(open.body.items).toEqual([]);
  });

  it('a supervisor writes one off with a reason: it stays missing, with a note in its history', async () => {
    const { audit, missing } = await missingItems(1);
    const ev = missing[0]!;
    const res = await resolve(ev, {
      resolution: 'written_off',
      reason: 'Not found after a search; inquiry 14/2026',
    });
    expect(res.status).toBe(201);
    expect(item(ev).status).toBe('missing');
    const history = await t.http.get(`/api/v1/items/${ev}/history`).set(auth(t.tokens.prosecutor));
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types.slice(-2)).toEqual(['reported_missing', 'note']);
    expect(history.body.events.at(-1).data.text).toContain('inquiry 14/2026');
    const listed = await t.http
      .get(`/api/v1/audits/unable-to-locate?auditId=${audit.id}&status=resolved`)
      .set(auth(t.tokens.clerk));
    expect(listed.body.items).toEqual([
      expect.objectContaining({ status: 'written_off', reason: 'Not found after a search; inquiry 14/2026' }),
    ]);
  });

  it('refuses a resolution by a non-supervisor, of an item not in the queue, or to an unknown place, writing nothing', async () => {
    const { missing } = await missingItems(1);
    const ev = missing[0]!;
    const [other] = await makeItems(t, 1);
    const before = t.head();
    for (const role of ['clerk', 'auditor'] as const) {
      const res = await resolve(ev, { resolution: 'written_off', reason: 'x' }, role);
      expectProblem(res, 403, 'forbidden');
      expect(res.body).toMatchObject({ requires: 'supervise' });
    }
    expectProblem(
      await resolve(other!, { resolution: 'written_off', reason: 'x' }),
      404,
      'unable_to_locate_not_found',
    );
    expectProblem(
      await resolve(ev, { resolution: 'found', locationCode: formatLocationCode(9_999_999).compact }),
      404,
      'location_not_found',
    );
    expectProblem(await resolve(ev, { resolution: 'found' }), 400, 'validation_failed');
    expectProblem(
      await resolve('EV2600000011', { resolution: 'written_off', reason: 'x' }),
      400,
      'invalid_check_digit',
    );
    expect(t.head()).toBe(before);
    expect((await resolve(ev, { resolution: 'written_off', reason: 'inquiry' })).status).toBe(201);
    const after = t.head();
    expectProblem(
      await resolve(ev, { resolution: 'written_off', reason: 'again' }),
      404,
      'unable_to_locate_not_found',
    );
    expect(t.head()).toBe(after);
  });
});
