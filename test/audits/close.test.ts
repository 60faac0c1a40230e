import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { closeAudit, makeItems, makeRoom, receiveAll, record, scanEach, startAudit } from './fixtures';

const t = makeTestApp();
// A Friday, after every real clock this runs on; the clock only moves forward from here.
t.setNow(new Date('2027-01-08T10:00:00Z'));
const db = () => t.app.locals.ctx.db.sqlite;
const eventsAfter = (seq: number) =>
  (
    db()
      .prepare('SELECT seq, type, entity_type, entity_id, data FROM events WHERE seq > ? ORDER BY seq')
      .all(seq) as {
      seq: number;
      type: string;
      entity_type: string;
      entity_id: string;
      data: string;
    }[]
  ).map((e) => ({ ...e, data: JSON.parse(e.data) as Record<string, unknown> }));
const statusOf = (ev: string) =>
  (db().prepare('SELECT status FROM items WHERE evidence_no = ?').get(ev) as { status: string }).status;

/** A shelf holding `a` and `b`, `c` recorded there but not scanned; `m` recorded on the next shelf. */
async function scannedShelf() {
  const { shelves } = await makeRoom(t, 2);
  const [a, b, c, m, fresh] = (await makeItems(t, 5)) as [string, string, string, string, string];
  await receiveAll(t, [a, b, c], shelves[0]!.code);
  await receiveAll(t, [m], shelves[1]!.code);
  const audit = await startAudit(t, { locationCode: shelves[0]!.code });
  await scanEach(t, audit.id, [shelves[0]!.code, a, b, m, fresh, a]);
  return { shelves, a, b, c, m, fresh, audit };
}

describe('POST /audits/:id/close', () => {
  it('records one audit event per discrepancy item, marks missing items reported_missing, and a summary', async () => {
    const { shelves, c, m, fresh, audit } = await scannedShelf();
    const before = t.head();
    const res = await closeAudit(t, audit.id, { note: 'Shelf A, end of day' }, 'supervisor');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'closed',
      closedBy: { id: t.userIds.supervisor },
      certification: 'exceptions',
      counts: {
        expected: 3,
        found: 2,
        missing: 1,
        misplaced: 1,
        unexpected: 1,
        duplicates: 1,
        notYetScanned: 0,
        itemsScanned: 4,
      },
    });
    expect(res.body.discrepancies.missing).toEqual([
      expect.objectContaining({
        evidenceNo: c,
        expectedLocation: expect.objectContaining({ code: shelves[0]!.code }),
      }),
    ]);
    expect(res.body.discrepancies.misplaced).toEqual([
      expect.objectContaining({
        evidenceNo: m,
        expectedLocation: expect.objectContaining({ code: shelves[1]!.code }),
        foundLocation: expect.objectContaining({ code: shelves[0]!.code }),
      }),
    ]);
    expect(res.body.discrepancies.unexpected).toEqual([
      expect.objectContaining({ evidenceNo: fresh, outcome: 'not_received', recordedStatus: 'registered' }),
    ]);
    const written = eventsAfter(before);
    expect(written.map((e) => `${e.type}:${e.entity_id}`)).toEqual([
      `item_reported_missing:${c}`,
      `audit_discrepancy:${audit.id}`,
      `audit_discrepancy:${audit.id}`,
      `audit_discrepancy:${audit.id}`,
      `audit_closed:${audit.id}`,
    ]);
    // Five working days after Friday 8 January: Friday 15 January, same time.
    expect(written[0]!.data).toEqual({
      auditId: audit.id,
      dueAt: '2027-01-15T10:00:00.000Z',
      lastLocationCode: shelves[0]!.code,
    });
    expect(written[1]!.data).toMatchObject({ kind: 'missing', evidenceNo: c, itemEventSeq: written[0]!.seq });
    expect(written.slice(1, 4).map((e) => e.data.kind)).toEqual(['missing', 'misplaced', 'unexpected']);
    expect(written[4]!.data).toMatchObject({
      auditId: audit.id,
      certification: 'exceptions',
      counts: { missing: 1, misplaced: 1, unexpected: 1 },
      unscannedLocations: [],
      note: 'Shelf A, end of day',
    });
    expect(statusOf(c)).toBe('missing');
    // The projections rebuild from the ledger to exactly what is stored.
    const verified = verifyLedger(t.app.locals.ctx.db, { projectors });
    expect(verified.damage).toEqual([]);
  });

  it('refuses to close twice, writing nothing', async () => {
    const { audit } = await scannedShelf();
    expect((await closeAudit(t, audit.id)).status).toBe(201);
    const before = t.head();
    const again = await closeAudit(t, audit.id);
    expectProblem(again, 409, 'audit_closed');
    expect(again.body).toMatchObject({ auditId: audit.id });
    expect(t.head()).toBe(before);
    expectProblem(await closeAudit(t, 'aud_unknown'), 404, 'audit_not_found');
    expect(t.head()).toBe(before);
  });

  it('certifies "no exceptions" when everything expected was found where recorded', async () => {
    const { shelves } = await makeRoom(t, 1);
    const items = await makeItems(t, 2);
    await receiveAll(t, items, shelves[0]!.code);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code });
    await scanEach(t, audit.id, [shelves[0]!.code, ...items]);
    const res = await closeAudit(t, audit.id);
    expect(res.body).toMatchObject({
      certification: 'no_exceptions',
      counts: { expected: 2, found: 2, missing: 0 },
    });
  });

  it('counts unscanned sub-locations as exceptions, and their items as missing', async () => {
    const { room, shelves } = await makeRoom(t, 2);
    const items = await makeItems(t, 2);
    await receiveAll(t, [items[0]!], shelves[0]!.code);
    await receiveAll(t, [items[1]!], shelves[1]!.code);
    const audit = await startAudit(t, { locationCode: room.code });
    await scanEach(t, audit.id, [room.code, shelves[0]!.code, items[0]!]);
    const live = await t.http.get(`/api/v1/audits/${audit.id}`).set(auth(t.tokens.auditor));
    expect(live.body).toMatchObject({
      status: 'open',
      counts: {
        expected: 2,
        found: 1,
        notYetScanned: 1,
        missing: 0,
        locationsInScope: 3,
        locationsScanned: 2,
      },
      unscannedLocations: [expect.objectContaining({ code: shelves[1]!.code })],
    });
    const res = await closeAudit(t, audit.id);
    expect(res.body).toMatchObject({
      certification: 'exceptions',
      counts: { missing: 1 },
      unscannedLocations: [expect.objectContaining({ code: shelves[1]!.code })],
    });
  });

  it('in a case audit, counts checked-out items as accounted for, not missing', async () => {
    const { shelves } = await makeRoom(t, 1);
    const items = await makeItems(t, 2);
    await receiveAll(t, items, shelves[0]!.code);
    const court = await (await import('./fixtures')).makeParty(t);
    await record(t, items[1]!, {
      type: 'checked_out',
      partyId: court.id,
      purpose: 'Expert examination',
      dueAt: '2027-06-01T12:00:00+05:00',
    });
    const caseId = (
      db().prepare('SELECT case_id FROM items WHERE evidence_no = ?').get(items[0]) as { case_id: string }
    ).case_id;
    const audit = await startAudit(t, { caseId });
    await scanEach(t, audit.id, [shelves[0]!.code, items[0]!]);
    const res = await closeAudit(t, audit.id);
    expect(res.body).toMatchObject({
      certification: 'no_exceptions',
      counts: { expected: 1, found: 1, missing: 0, accountedFor: 1 },
    });
  });
});

describe('GET /audits', () => {
  it('pages audits and filters by status', async () => {
    const { shelves } = await makeRoom(t, 1);
    const open = await startAudit(t, { locationCode: shelves[0]!.code });
    const all: { id: string; status: string }[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: typeof all; nextCursor: string | null } } = await t.http
        .get(`/api/v1/audits?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth(t.tokens.prosecutor));
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(all.map((a) => a.id)).toContain(open.id);
    const openOnly = await t.http.get('/api/v1/audits?status=open&limit=500').set(auth(t.tokens.clerk));
    expect(openOnly.body.items.every((a: { status: string }) => a.status === 'open')).toBe(true);
    expect(openOnly.body.items.map((a: { id: string }) => a.id)).toContain(open.id);
    const closed = await t.http.get('/api/v1/audits?status=closed&limit=500').set(auth(t.tokens.clerk));
    expect(closed.body.items.length).toBeGreaterThan(0);
    expect(closed.body.items.every((a: { status: string }) => a.status === 'closed')).toBe(true);
    expectProblem(
      await t.http.get('/api/v1/audits?status=done').set(auth(t.tokens.clerk)),
      400,
      'validation_failed',
    );
  });

  it('answers 404 audit_not_found for an unknown id', async () => {
    expectProblem(
      await t.http.get('/api/v1/audits/aud_nope').set(auth(t.tokens.clerk)),
      404,
      'audit_not_found',
    );
  });
});
