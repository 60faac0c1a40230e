import { describe, expect, it } from 'vitest';
import { auth, makeTestApp } from '../helpers/app';
import { caseBody } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';

/**
 * Issue 4's "done when", end to end through the API alone: a clerk registers a raid, imports its
 * miners, receives them onto a shelf, moves 240 in one scan session, lends one to a court and takes
 * it back, values it, and finds it by scanning either form of its number; a prosecutor reads all of
 * it and writes none; the ledger verifies and rebuilds to the same projections.
 */
const t = makeTestApp();

const printed = (compact: string) =>
  `${compact.slice(0, 2)}-${compact.slice(2, 4)}-${compact.slice(4, 11)}-${compact.slice(11)}`;
const printedLocation = (compact: string) =>
  `${compact.slice(0, 2)}-${compact.slice(2, 9)}-${compact.slice(9)}`;

describe('a warehouse day, through the API', () => {
  it('goes from raid to shelf, court and back, and a prosecutor can read every step', async () => {
    const clerk = auth(t.tokens.clerk);
    const post = async (path: string, body: unknown, status = 201) => {
      const res = await t.http
        .post(`/api/v1${path}`)
        .set(clerk)
        .send(body as object);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(status);
      return res.body;
    };

    const kase = await post('/cases', caseBody({ number: '2-47/2022', title: 'Экибастуз, ферма «Қуат»' }));
    const seizure = await post(`/cases/${kase.id}/seizures`, {
      farmName: 'Қуат-Майнинг',
      region: 'Pavlodar Region (Ekibastuz)',
      address: 'Экибастуз, промзона 4',
      latitude: 51.72,
      longitude: 75.32,
      seizedAt: '2022-02-14T06:30:00+06:00',
      seizingOfficer: 'Капитан А. Нурланов',
      warrantRef: 'Постановление 7-2022/114',
      legalGround: 'illegal_grid_connection',
      outcome: 'terminated',
      estimatedLoadKw: 1300,
    });

    const header =
      'category,make,model,serial,quantity,unit,hashrate_ths,power_w,seal_no,condition,description';
    const rows = Array.from(
      { length: 400 },
      (_, i) =>
        `asic_miner,Bitmain,Antminer S19,S19E${String(i).padStart(5, '0')},1,pcs,95,3250,П-${i},б/у,стойка ${i % 20}`,
    );
    const imported = await t.http
      .post(
        `/api/v1/items/import?caseId=${kase.id}&seizureId=${seizure.id}&occurredAt=2022-02-14T09:00:00%2B06:00`,
      )
      .set(clerk)
      .set('Content-Type', 'text/csv')
      .send(`${header}\r\n${rows.join('\r\n')}\r\n`);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const evidenceNos = imported.body.evidenceNos as string[];
    expect(evidenceNos).toHaveLength(400);

    const warehouse = await post('/locations', { kind: 'warehouse', name: 'Павлодар, склад №1' });
    const room = await post('/locations', { kind: 'room', name: 'Зал 2', parentCode: warehouse.code });
    const shelfA = await post('/locations', { kind: 'shelf', name: 'Стеллаж A', parentCode: room.code });
    const shelfB = await post('/locations', { kind: 'shelf', name: 'Стеллаж B', parentCode: room.code });
    const court = await post('/parties', { kind: 'court', name: 'Экибастузский городской суд' });

    const session = (type: string, nos: string[], extra: Record<string, unknown>) => ({
      events: nos.map((evidenceNo) => ({ evidenceNo, event: { type, ...extra } })),
    });
    await post('/events/batch', session('received', evidenceNos, { locationCode: shelfA.code }));
    // Scanned in printed, lower-case form: the scanner session does not care.
    const moving = evidenceNos.slice(0, 240).map((no) => printed(no).toLowerCase());
    await post(
      '/events/batch',
      session('moved', moving, { locationCode: printedLocation(shelfB.code).toLowerCase() }),
    );

    const one = evidenceNos[7] as string;
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString();
    await post(`/items/${one}/events`, {
      type: 'checked_out',
      partyId: court.id,
      purpose: 'вещественное доказательство в судебном заседании',
      dueAt: due,
    });
    // A checked-out item cannot be moved: refused, nothing written.
    const head = t.head();
    expectProblem(
      await t.http
        .post(`/api/v1/items/${one}/events`)
        .set(clerk)
        .send({ type: 'moved', locationCode: shelfA.code }),
      409,
      'invalid_transition',
    );
    expect(t.head()).toBe(head);
    await post(`/items/${one}/events`, {
      type: 'returned',
      locationCode: shelfB.code,
      condition: 'без изменений',
      seal: 'broken',
      newSealNo: 'П-7/2',
    });
    await post(`/items/${one}/events`, {
      type: 'valued',
      amountMinor: 1_710_00,
      currency: 'USD',
      method: 'market_comparison',
      appraiser: 'Ермеков Н. А.',
      asOf: '2022-11-30',
    });

    const prosecutor = auth(t.tokens.prosecutor);
    for (const form of [one, printed(one), printed(one).toLowerCase()]) {
      const item = await t.http.get(`/api/v1/items/${form}`).set(prosecutor);
      expect(item.status).toBe(200);
      expect(item.body).toMatchObject({
        evidenceNo: one,
        status: 'in_storage',
        sealNo: 'П-7/2',
        location: expect.objectContaining({ code: shelfB.code }),
        valuation: { amountMinor: 171000, currency: 'USD', asOf: '2022-11-30' },
      });
    }
    const history = await t.http.get(`/api/v1/items/${printed(one)}/history`).set(prosecutor);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'registered',
      'received',
      'moved',
      'checked_out',
      'returned',
      'valued',
    ]);
    expect(history.body.events[0].occurredAt).toBe('2022-02-14T09:00:00+06:00');
    expect(history.body.events.every((e: { actor: { name: string } }) => e.actor.name === 'Test clerk')).toBe(
      true,
    );

    const onB = await t.http
      .get('/api/v1/items')
      .query({ locationCode: shelfB.code, limit: 500 })
      .set(prosecutor);
    expect(onB.body.items).toHaveLength(240); // the 240 moved, the court item back among them
    const found = await t.http.get('/api/v1/items').query({ q: 'S19E00007' }).set(prosecutor);
    expect(found.body.items.map((i: { evidenceNo: string }) => i.evidenceNo)).toEqual([one]);
    const summary = (await t.http.get(`/api/v1/cases/${kase.id}`).set(prosecutor)).body.summary;
    expect(summary).toBeDefined();

    // The prosecutor writes nothing.
    for (const [path, body] of [
      [`/items/${one}/events`, { type: 'note', text: 'x' }],
      ['/events/batch', session('note', [one], { text: 'x' })],
      ['/locations', { kind: 'warehouse', name: 'X' }],
    ] as const) {
      expectProblem(await t.http.post(`/api/v1${path}`).set(prosecutor).send(body), 403, 'forbidden');
    }

    const verify = await t.http.get('/api/v1/ledger/verify').set(prosecutor);
    expect(verify.body).toMatchObject({ ok: true, projectionsChecked: true, firstBad: null });
  });
});
