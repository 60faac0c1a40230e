import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openDb } from '../../src/db/open';
import { formatEvidenceNo, formatLocationCode } from '../../src/lib/codes';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeCaseWithSeizure, makeItem as makeItemApi } from '../items/fixtures';
import {
  closeAudit,
  makeItems,
  makeParty,
  makeRoom,
  nextWeek,
  postScans,
  receiveAll,
  record,
  scanEach,
  startAudit,
} from './fixtures';

const t = makeTestApp();
const db = () => t.app.locals.ctx.db.sqlite;
const events = (type: string, after: number) =>
  db().prepare('SELECT * FROM events WHERE type = ? AND seq > ? ORDER BY seq').all(type, after) as {
    seq: number;
    entity_id: string;
    data: string;
  }[];

describe('POST /audits', () => {
  it('starts an inventory of a location subtree and says how many items it expects', async () => {
    const { room, shelves } = await makeRoom(t, 2);
    const items = await makeItems(t, 3);
    await receiveAll(t, items.slice(0, 2), shelves[0]!.code);
    await receiveAll(t, items.slice(2), shelves[1]!.code);
    const before = t.head();
    const res = await t.http
      .post('/api/v1/audits')
      .set(auth(t.tokens.auditor))
      .send({ locationCode: room.printed.toLowerCase(), title: 'Room 2, quarterly' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      scope: 'location',
      location: { code: room.code, path: room.path },
      status: 'open',
      title: 'Room 2, quarterly',
      startedBy: { id: t.userIds.auditor },
      startedSeq: before + 1,
      expectedAtStart: 3,
      counts: { expected: 3, found: 0, notYetScanned: 3, locationsInScope: 3, locationsScanned: 0 },
    });
    expect(res.body.id).toMatch(/^aud_/);
    expect(t.head()).toBe(before + 1);
  });

  it('starts an inventory of a case, wherever its items are', async () => {
    const items = await makeItems(t, 2);
    const { shelves } = await makeRoom(t, 2);
    await record(t, items[0]!, { type: 'received', locationCode: shelves[0]!.code });
    await record(t, items[1]!, { type: 'received', locationCode: shelves[1]!.code });
    const caseId = (
      db().prepare('SELECT case_id FROM items WHERE evidence_no = ?').get(items[0]) as { case_id: string }
    ).case_id;
    const audit = await startAudit(t, { caseId });
    expect(audit).toMatchObject({ scope: 'case', caseId, counts: { expected: 2, locationsInScope: 2 } });
  });

  it('refuses neither or both scopes, an unknown location or case, writing nothing', async () => {
    const { shelves } = await makeRoom(t, 1);
    const c = await makeCase(t);
    const before = t.head();
    const post = (body: object) => t.http.post('/api/v1/audits').set(auth(t.tokens.clerk)).send(body);
    expectProblem(await post({}), 400, 'validation_failed');
    expectProblem(await post({ locationCode: shelves[0]!.code, caseId: c.id }), 400, 'validation_failed');
    expectProblem(
      await post({ locationCode: formatLocationCode(9_999_999).compact }),
      404,
      'location_not_found',
    );
    expectProblem(await post({ locationCode: 'LC00000011' }), 400, 'invalid_check_digit');
    expectProblem(await post({ caseId: 'case_nope' }), 404, 'case_not_found');
    expectProblem(
      await t.http.post('/api/v1/audits').set(auth(t.tokens.prosecutor)).send({ caseId: c.id }),
      403,
      'forbidden',
    );
    expect(t.head()).toBe(before);
  });
});

describe('POST /audits/:id/scans', () => {
  async function shelfAudit() {
    const { room, shelves } = await makeRoom(t, 2);
    const items = await makeItems(t, 4);
    await receiveAll(t, items.slice(0, 3), shelves[0]!.code);
    await receiveAll(t, items.slice(3), shelves[1]!.code);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code });
    return { room, shelves, items, audit };
  }

  it('refuses an item scanned before any location, writing nothing', async () => {
    const { items, audit } = await shelfAudit();
    const before = t.head();
    const res = await postScans(t, audit.id, { code: items[0]! });
    expectProblem(res, 409, 'location_scan_required');
    expect(t.head()).toBe(before);
  });

  it('refuses a malformed code or a wrong check digit with malformed_code, writing nothing', async () => {
    const { shelves, audit } = await shelfAudit();
    await scanEach(t, audit.id, [shelves[0]!.code]);
    const before = t.head();
    const bad = await postScans(t, audit.id, { code: 'HELLO-123' });
    expectProblem(bad, 400, 'malformed_code');
    expect(bad.body.errors).toEqual([expect.objectContaining({ index: 0, reason: 'format' })]);
    const digit = await postScans(t, audit.id, { code: 'EV2600000011' });
    expectProblem(digit, 400, 'malformed_code');
    expect(digit.body.errors[0]).toMatchObject({ reason: 'check_digit' });
    const lc = await postScans(t, audit.id, { code: 'LC-0000001-0' });
    expectProblem(lc, 400, 'malformed_code');
    expect(t.head()).toBe(before);
  });

  it('answers each scan at once: expected here, expected elsewhere with where, unknown, duplicate', async () => {
    const { shelves, items, audit } = await shelfAudit();
    const unknown = formatEvidenceNo(26, 9_999_998).printed;
    const before = t.head();
    const [loc, here, elsewhere, nobody, again] = await scanEach(t, audit.id, [
      shelves[0]!.printed,
      formatEvidenceNo(Number(items[0]!.slice(2, 4)), Number(items[0]!.slice(4, 11))).printed.toLowerCase(),
      items[3]!,
      unknown,
      items[0]!,
    ]);
    expect(loc).toMatchObject({ outcome: 'location', code: shelves[0]!.code, expectedHere: 3, foundHere: 0 });
    expect(here).toMatchObject({
      outcome: 'expected_here',
      code: items[0],
      inScope: true,
      item: { make: 'Bitmain' },
    });
    expect(elsewhere).toMatchObject({
      outcome: 'expected_elsewhere',
      inScope: false,
      expectedLocation: { code: shelves[1]!.code, path: shelves[1]!.path },
    });
    expect(elsewhere!.message).toContain(shelves[1]!.path);
    expect(nobody).toMatchObject({ outcome: 'unknown', inScope: false });
    expect(nobody!.item).toBeUndefined();
    expect(again).toMatchObject({ outcome: 'duplicate', firstScan: { locationCode: shelves[0]!.code } });
    // One ledger event per request, each holding its scans.
    expect(t.head()).toBe(before + 5);
    const scanned = events('audit_scanned', before);
    expect(scanned).toHaveLength(5);
    expect(JSON.parse(scanned[2]!.data)).toEqual({
      auditId: audit.id,
      scans: [
        {
          code: items[3],
          outcome: 'expected_elsewhere',
          locationCode: shelves[0]!.code,
          inScope: false,
          expectedLocationCode: shelves[1]!.code,
        },
      ],
    });
  });

  it('answers checked out (with whom and until when), disposed, not received and recorded missing', async () => {
    const { shelves, audit } = await shelfAudit();
    const [out, gone, fresh] = await makeItems(t, 3);
    await record(t, out!, { type: 'received', locationCode: shelves[1]!.code });
    const court = await makeParty(t, { name: 'Павлодарский областной суд' });
    await record(t, out!, { type: 'checked_out', partyId: court.id, purpose: 'Hearing', dueAt: nextWeek() });
    await record(t, gone!, { type: 'received', locationCode: shelves[1]!.code });
    t.app.locals.ctx.ledger.writeNow((tx) => {
      const base = { entityType: 'item', entityId: gone!, actor: t.userIds.supervisor };
      tx.append({ ...base, type: 'item_disposal_authorised', data: { reference: 'Court order 2-117/2022' } });
      tx.append({ ...base, type: 'item_destroyed', data: { method: 'shredding' } });
    });
    const results = await scanEach(t, audit.id, [shelves[0]!.code, out!, gone!, fresh!]);
    expect(results[1]).toMatchObject({
      outcome: 'checked_out',
      recordedStatus: 'checked_out',
      checkedOut: { partyId: court.id, partyName: 'Павлодарский областной суд', purpose: 'Hearing' },
    });
    expect(results[2]).toMatchObject({ outcome: 'disposed', recordedStatus: 'destroyed' });
    expect(results[3]).toMatchObject({ outcome: 'not_received', recordedStatus: 'registered' });
  });

  it('refuses a location outside the audited subtree, writing nothing', async () => {
    const { shelves, audit } = await shelfAudit();
    const before = t.head();
    expectProblem(await postScans(t, audit.id, { code: shelves[1]!.code }), 409, 'location_outside_audit');
    expectProblem(
      await postScans(t, audit.id, { code: formatLocationCode(9_999_999).compact }),
      404,
      'location_not_found',
    );
    expect(t.head()).toBe(before);
  });

  it('lists the sub-locations not yet scanned when a parent location is scanned', async () => {
    const { room, shelves, bins } = await makeRoom(t, 2, 2);
    const audit = await startAudit(t, { locationCode: room.code });
    const [first] = await scanEach(t, audit.id, [room.code]);
    expect(first!.unscannedSubLocations).toEqual({
      count: 4,
      items: [shelves[0], bins[0], bins[1], shelves[1]].map((l) => ({
        code: l!.code,
        printed: l!.printed,
        path: l!.path,
      })),
    });
    await scanEach(t, audit.id, [bins[0]!.code, shelves[1]!.code]);
    const [shelf] = await scanEach(t, audit.id, [shelves[0]!.code]);
    expect(shelf!.unscannedSubLocations).toEqual({
      count: 1,
      items: [expect.objectContaining({ code: bins[1]!.code })],
    });
    const [back] = await scanEach(t, audit.id, [room.code]);
    expect(back).toMatchObject({ again: true, unscannedSubLocations: { count: 1 } });
  });

  it('lets a sealed container with its seal intact stand for its contents, marked so', async () => {
    const { shelves } = await makeRoom(t, 1);
    const where = await makeCaseWithSeizure(t);
    const box = await makeItemApi(t, where, {
      category: 'container',
      sealNo: 'KZ-BOX-1',
      serialNumber: null,
    });
    const inside = [
      await makeItemApi(t, where, { parentEvidenceNo: box.evidenceNo }),
      await makeItemApi(t, where, { parentEvidenceNo: box.evidenceNo }),
    ];
    await receiveAll(t, [box.evidenceNo, ...inside.map((i) => i.evidenceNo)], shelves[0]!.code);
    const audit = await startAudit(t, { locationCode: shelves[0]!.code });
    const wrongSeal = await postScans(t, audit.id, {
      scans: [{ code: shelves[0]!.code }, { code: box.evidenceNo, sealIntact: true, sealNo: 'KZ-OTHER' }],
    });
    expect(wrongSeal.status).toBe(201);
    expect(wrongSeal.body.results[1]).toMatchObject({ outcome: 'expected_here', sealMismatch: true });
    expect(wrongSeal.body.results[1].contents).toBeUndefined();

    const audit2 = await startAudit(t, { locationCode: shelves[0]!.code });
    const res = await postScans(t, audit2.id, {
      scans: [{ code: shelves[0]!.code }, { code: box.evidenceNo, sealIntact: true, sealNo: 'KZ-BOX-1' }],
    });
    expect(res.body.results[1]).toMatchObject({
      outcome: 'expected_here',
      contents: inside.map((i) => ({ evidenceNo: i.evidenceNo, outcome: 'expected_here' })),
    });
    const [dup] = await scanEach(t, audit2.id, [inside[0]!.evidenceNo]);
    expect(dup).toMatchObject({ outcome: 'duplicate' });
    const shown = await t.http.get(`/api/v1/audits/${audit2.id}`).set(auth(t.tokens.clerk));
    expect(shown.body.counts).toMatchObject({
      expected: 3,
      found: 3,
      foundViaContainer: 2,
      notYetScanned: 0,
      duplicates: 1,
    });
  });

  it('takes a batch of scans as one event, all or none', async () => {
    const { shelves, items, audit } = await shelfAudit();
    const before = t.head();
    const refused = await postScans(t, audit.id, {
      scans: [{ code: shelves[0]!.code }, { code: items[0]! }, { code: 'EV26-garbage' }],
    });
    expectProblem(refused, 400, 'malformed_code');
    expect(refused.body.errors).toEqual([expect.objectContaining({ index: 2 })]);
    expect(t.head()).toBe(before);
    const ok = await postScans(t, audit.id, {
      scanner: 'handheld-3',
      scans: [
        { code: shelves[0]!.code },
        ...items.slice(0, 3).map((code) => ({ code })),
        { code: items[0]! },
      ],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'location',
      'expected_here',
      'expected_here',
      'expected_here',
      'duplicate',
    ]);
    expect(t.head()).toBe(before + 1);
    expect(ok.body.seq).toBe(before + 1);
  });

  it('keeps a current location per user: another scanner must scan its own location first', async () => {
    const { shelves, items, audit } = await shelfAudit();
    await scanEach(t, audit.id, [shelves[0]!.code], 'clerk');
    expectProblem(
      await postScans(t, audit.id, { code: items[0]! }, 'auditor'),
      409,
      'location_scan_required',
    );
    expectProblem(
      await postScans(t, audit.id, { code: items[0]!, scanner: 'second-device' }, 'clerk'),
      409,
      'location_scan_required',
    );
    const [r] = await scanEach(t, audit.id, [items[0]!], 'clerk');
    expect(r).toMatchObject({ outcome: 'expected_here' });
  });

  it('survives a restart: another process on the same file sees the scans and the current location', async () => {
    const { shelves, items, audit } = await shelfAudit();
    await scanEach(t, audit.id, [shelves[0]!.code, items[0]!]);
    const db2 = openDb(t.dbPath);
    try {
      const app2 = createApp({ db: db2, signer: t.signer, checkpointIntervalMs: 0 });
      const { default: request } = await import('supertest');
      const http2 = request(app2);
      const res = await http2
        .post(`/api/v1/audits/${audit.id}/scans`)
        .set(auth(t.tokens.clerk))
        .send({ code: items[1] });
      expect(res.status).toBe(201);
      expect(res.body.results[0]).toMatchObject({
        outcome: 'expected_here',
        location: { code: shelves[0]!.code },
      });
      const shown = await http2.get(`/api/v1/audits/${audit.id}`).set(auth(t.tokens.clerk));
      expect(shown.body.counts).toMatchObject({ found: 2, notYetScanned: 1, itemsScanned: 2 });
      await app2.locals.ctx.ledger.close();
    } finally {
      db2.sqlite.close();
    }
  });

  it('refuses scans once the audit is closed, writing nothing', async () => {
    const { shelves, items, audit } = await shelfAudit();
    await scanEach(t, audit.id, [shelves[0]!.code, ...items.slice(0, 3)]);
    expect((await closeAudit(t, audit.id)).status).toBe(201);
    const before = t.head();
    expectProblem(await postScans(t, audit.id, { code: items[0]! }), 409, 'audit_closed');
    expectProblem(await postScans(t, 'aud_nothere', { code: items[0]! }), 404, 'audit_not_found');
    expect(t.head()).toBe(before);
  });
});
