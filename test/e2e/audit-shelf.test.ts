import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getPdf, pdfText, printedNo } from '../audits/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { caseBody } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';

/**
 * Issue 16's audit "done when", through the API alone: an audit of a shelf with one missing, one
 * misplaced and one unexpected item reports exactly those; the missing item enters the
 * unable-to-locate queue and a supervisor resolves it.
 */
const t = makeTestApp();

describe('an audit of one shelf, through the API', () => {
  it('reports exactly the one missing, one misplaced and one unexpected item', async () => {
    const clerk = auth(t.tokens.clerk);
    const post = async (path: string, body: unknown, headers = clerk, status = 201) => {
      const res = await t.http
        .post(`/api/v1${path}`)
        .set(headers)
        .send(body as object);
      expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 500)}`).toBe(status);
      return res.body;
    };
    const kase = await post('/cases', caseBody({ number: '2-51/2022', title: 'Караганда, ферма «Жарық»' }));
    const seizure = await post(`/cases/${kase.id}/seizures`, {
      farmName: 'Жарық',
      region: 'Karaganda Region',
      address: 'Караганда, ул. Шахтёров 12',
      seizedAt: '2022-03-02T07:00:00+06:00',
      seizingOfficer: 'Майор Б. Сейткали',
      warrantRef: 'Постановление 9-2022/31',
      legalGround: 'tax_evasion',
      outcome: 'terminated',
    });
    const warehouse = await post('/locations', { kind: 'warehouse', name: 'Karaganda WH-2' });
    const room = await post('/locations', { kind: 'room', name: 'Room 1', parentCode: warehouse.code });
    const shelfA = await post('/locations', { kind: 'shelf', name: 'Shelf A', parentCode: room.code });
    const shelfB = await post('/locations', { kind: 'shelf', name: 'Shelf B', parentCode: room.code });
    const miner = async (serial: string) =>
      (
        await post('/items', {
          caseId: kase.id,
          seizureId: seizure.id,
          category: 'asic_miner',
          make: 'MicroBT',
          model: 'Whatsminer M30S',
          serialNumber: serial,
          hashrateThs: 88,
          powerW: 3344,
        })
      ).evidenceNo as string;
    const onShelfA = [await miner('M30S-01'), await miner('M30S-02'), await miner('M30S-03')];
    const lost = await miner('M30S-04'); // recorded on shelf A, not there
    const strayed = await miner('M30S-05'); // recorded on shelf B, found on shelf A
    const unrecorded = await miner('M30S-06'); // never received, found on shelf A
    const onShelfB = await miner('M30S-07');
    for (const ev of [...onShelfA, lost]) {
      await post(`/items/${ev}/events`, { type: 'received', locationCode: shelfA.code });
    }
    for (const ev of [strayed, onShelfB]) {
      await post(`/items/${ev}/events`, { type: 'received', locationCode: shelfB.code });
    }

    const audit = await post('/audits', { locationCode: shelfA.printed, title: 'Shelf A spot check' });
    expect(audit.counts.expected).toBe(4);
    const scan = async (code: string) => (await post(`/audits/${audit.id}/scans`, { code })).results[0];
    expect((await scan(shelfA.printed)).outcome).toBe('location');
    for (const ev of onShelfA) expect((await scan(ev)).outcome).toBe('expected_here');
    const misplaced = await scan(strayed);
    expect(misplaced).toMatchObject({
      outcome: 'expected_elsewhere',
      expectedLocation: { code: shelfB.code },
    });
    expect((await scan(unrecorded)).outcome).toBe('not_received');
    expect((await scan(onShelfA[0]!)).outcome).toBe('duplicate');

    const closed = await post(`/audits/${audit.id}/close`, {});
    expect(closed.counts).toMatchObject({
      expected: 4,
      found: 3,
      missing: 1,
      misplaced: 1,
      unexpected: 1,
      duplicates: 1,
    });
    const shown = (await t.http.get(`/api/v1/audits/${audit.id}`).set(auth(t.tokens.prosecutor))).body;
    const kinds = (list: { evidenceNo: string }[]) => list.map((d) => d.evidenceNo);
    expect(kinds(shown.discrepancies.missing)).toEqual([lost]);
    expect(kinds(shown.discrepancies.misplaced)).toEqual([strayed]);
    expect(kinds(shown.discrepancies.unexpected)).toEqual([unrecorded]);
    expect(shown.certification).toBe('exceptions');
    expectProblem(
      await t.http.post(`/api/v1/audits/${audit.id}/close`).set(clerk).send({}),
      409,
      'audit_closed',
    );

    const report = await getPdf(t, `/api/v1/audits/${audit.id}/report.pdf`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toMatch(/^application\/pdf/);
    expect(report.headers['x-report-fingerprint']).toMatch(/^[0-9a-f]{64}$/);
    if (process.env.AUDIT_REPORT_OUT) writeFileSync(process.env.AUDIT_REPORT_OUT, report.body as Buffer);
    const text = pdfText(report.body as Buffer);
    expect(text).toContain('Certified with the following exceptions: 1 missing, 1 misplaced, 1 unexpected.');
    const at = (ev: string) => text.indexOf(printedNo(ev));
    // Discrepancies first (missing, misplaced, unexpected), then the counts, then the closing block.
    expect(at(lost)).toBeGreaterThan(text.indexOf('Certification'));
    expect(at(strayed)).toBeGreaterThan(at(lost));
    expect(at(unrecorded)).toBeGreaterThan(at(strayed));
    expect(text.indexOf('Counts')).toBeGreaterThan(at(unrecorded));
    expect(text.indexOf(`fingerprint ${report.headers['x-report-fingerprint']}`)).toBeGreaterThan(
      text.indexOf('Counts'),
    );
    for (const ev of onShelfA) expect(text).not.toContain(printedNo(ev));

    const queue = (await t.http.get('/api/v1/audits/unable-to-locate').set(clerk)).body;
    expect(queue.items.map((e: { evidenceNo: string }) => e.evidenceNo)).toEqual([lost]);
    const lostItem = (await t.http.get(`/api/v1/items/${lost}`).set(clerk)).body;
    expect(lostItem.status).toBe('missing');
    await post(
      `/audits/unable-to-locate/${lost}/resolve`,
      { resolution: 'found', locationCode: shelfB.code },
      auth(t.tokens.supervisor),
    );
    expect((await t.http.get(`/api/v1/items/${lost}`).set(clerk)).body).toMatchObject({
      status: 'in_storage',
      location: { code: shelfB.code },
    });
    const verified = (await t.http.get('/api/v1/ledger/verify').set(auth(t.tokens.auditor))).body;
    expect(verified.ok).toBe(true);
  });
});
