import { describe, expect, it } from 'vitest';
import { formatEvidenceNo } from '../../src/lib/codes';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { itemFields, makeCaseWithSeizure, makeItem, makeSeizure, serialOf } from './fixtures';

const t = makeTestApp();
const year = new Date().getUTCFullYear() % 100;

describe('POST /items', () => {
  it('registers an item with the next evidence number of the year, as an item_registered event', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const fields = itemFields();
    const res = await t.http
      .post('/api/v1/items')
      .set(auth(t.tokens.clerk))
      .send({ ...where, ...fields });
    expect(res.status).toBe(201);
    const ev = formatEvidenceNo(year, serialOf(res.body.evidenceNo));
    expect(res.body).toMatchObject({
      ...where,
      ...fields,
      evidenceNo: ev.compact,
      printed: ev.printed,
      quantity: 1,
      unit: 'pcs',
      status: 'registered',
      location: null,
      custodian: null,
      valuation: null,
      registeredSeq: before + 1,
    });
    const row = t.app.locals.ctx.db.sqlite
      .prepare('SELECT type, entity_type, entity_id, actor, data FROM events WHERE seq = ?')
      .get(t.head()) as { type: string; entity_type: string; entity_id: string; actor: string; data: string };
    expect(row).toMatchObject({
      type: 'item_registered',
      entity_type: 'item',
      entity_id: ev.compact,
      actor: t.userIds.clerk,
    });
    expect(JSON.parse(row.data)).toEqual({ ...where, ...fields, quantity: 1, unit: 'pcs' });
  });

  it('keeps a Kazakh and Russian make and description exactly', async () => {
    const where = await makeCaseWithSeizure(t);
    const make = 'Қытай өндірісі «Ақсу»';
    const description = 'Майнер в корпусе, 4 вентилятора; пломба цела — Ұ Ғ Ә Ө Һ І';
    const item = await makeItem(t, where, { make, description, model: 'Модель-7' });
    const res = await t.http.get(`/api/v1/items/${item.evidenceNo}`).set(auth(t.tokens.prosecutor));
    expect(res.body).toMatchObject({ make, description, model: 'Модель-7' });
  });

  it('refuses negative and fractional quantities and writes nothing', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    for (const quantity of [-1, 0, 2.5]) {
      const res = await t.http
        .post('/api/v1/items')
        .set(auth(t.tokens.clerk))
        .send({ ...where, ...itemFields({ quantity }) });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors[0].path).toBe('quantity');
    }
    expect(t.head()).toBe(before);
  });

  it('registers a counted lot', async () => {
    const where = await makeCaseWithSeizure(t);
    const lot = await makeItem(t, where, {
      category: 'cable_lot',
      quantity: 240,
      unit: 'm',
      serialNumber: undefined,
      hashrateThs: undefined,
      powerW: undefined,
    });
    expect(lot).toMatchObject({ category: 'cable_lot', quantity: 240, unit: 'm', serialNumber: null });
  });

  it('refuses a serial number the case holds for the same make and model, unless told it is fine', async () => {
    const where = await makeCaseWithSeizure(t);
    const first = await makeItem(t, where, { serialNumber: 'DUP-1' });
    const before = t.head();
    const again = await t.http
      .post('/api/v1/items')
      .set(auth(t.tokens.clerk))
      .send({
        ...where,
        ...itemFields({ serialNumber: 'DUP-1', make: ' BITMAIN ', model: 'antminer s19 pro' }),
      });
    expectProblem(again, 409, 'duplicate_serial');
    expect(again.body).toMatchObject({ field: 'serialNumber', evidenceNo: first.evidenceNo });
    expect(t.head()).toBe(before);
    // another model, another case, or an explicit duplicateSerialOk is accepted
    await makeItem(t, where, { serialNumber: 'DUP-1', model: 'Antminer S9' });
    await makeItem(t, await makeCaseWithSeizure(t), { serialNumber: 'DUP-1' });
    const ok = await makeItem(t, where, { serialNumber: 'DUP-1', duplicateSerialOk: true });
    expect(ok.serialNumber).toBe('DUP-1');
  });

  it('hands out distinct, gap-free serials to concurrent requests', async () => {
    const where = await makeCaseWithSeizure(t);
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        t.http
          .post('/api/v1/items')
          .set(auth(t.tokens.clerk))
          .send({ ...where, ...itemFields() }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(201));
    const serials = results.map((r) => serialOf(r.body.evidenceNo)).sort((a, b) => a - b);
    const lowest = serials[0] as number;
    expect(serials).toEqual(Array.from({ length: 25 }, (_, i) => lowest + i));
    const counter = t.app.locals.ctx.db.sqlite
      .prepare('SELECT last_serial FROM evidence_counters WHERE year = ?')
      .get(2000 + year) as { last_serial: number };
    expect(counter.last_serial).toBeGreaterThanOrEqual(lowest + 24);
  });

  it('takes a container as parent, refusing a parent that is no container or unknown', async () => {
    const where = await makeCaseWithSeizure(t);
    const container = await makeItem(t, where, {
      category: 'container',
      make: null,
      model: '40 ft container',
      serialNumber: 'CONT-1',
    });
    const inside = await makeItem(t, where, { parentEvidenceNo: container.printed.toLowerCase() });
    expect(inside.parentEvidenceNo).toBe(container.evidenceNo);
    const before = t.head();
    const post = (parentEvidenceNo: string) =>
      t.http
        .post('/api/v1/items')
        .set(auth(t.tokens.clerk))
        .send({ ...where, ...itemFields({ parentEvidenceNo }) });
    expectProblem(await post(inside.evidenceNo), 409, 'invalid_parent');
    expectProblem(await post(formatEvidenceNo(99, 9_999_999).compact), 404, 'item_not_found');
    const wrong = `${container.evidenceNo.slice(0, 11)}${(Number(container.evidenceNo[11]) + 1) % 10}`;
    expectProblem(await post(wrong), 400, 'invalid_check_digit');
    expect(t.head()).toBe(before);
  });

  it('refuses a seizure of another case, and unknown cases and seizures', async () => {
    const a = await makeCaseWithSeizure(t);
    const b = await makeCaseWithSeizure(t);
    const before = t.head();
    const post = (where: Record<string, string>) =>
      t.http
        .post('/api/v1/items')
        .set(auth(t.tokens.clerk))
        .send({ ...where, ...itemFields() });
    expectProblem(await post({ caseId: a.caseId, seizureId: b.seizureId }), 404, 'seizure_not_found');
    expectProblem(await post({ caseId: 'case_nope', seizureId: a.seizureId }), 404, 'case_not_found');
    expectProblem(await post({ caseId: a.caseId, seizureId: 'szr_nope' }), 404, 'seizure_not_found');
    expect(t.head()).toBe(before);
  });

  it('lets a prosecutor read items but not register or import them', async () => {
    const where = await makeCaseWithSeizure(t);
    const item = await makeItem(t, where);
    const before = t.head();
    expectProblem(
      await t.http
        .post('/api/v1/items')
        .set(auth(t.tokens.prosecutor))
        .send({ ...where, ...itemFields() }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.http
        .post(`/api/v1/items/import?caseId=${where.caseId}&seizureId=${where.seizureId}`)
        .set(auth(t.tokens.prosecutor))
        .set('Content-Type', 'text/csv')
        .send(Buffer.from('category\nasic_miner\n')),
      403,
      'forbidden',
    );
    expect(t.head()).toBe(before);
    expect((await t.http.get(`/api/v1/items/${item.evidenceNo}`).set(auth(t.tokens.prosecutor))).status).toBe(
      200,
    );
    expect((await t.http.get('/api/v1/items').set(auth(t.tokens.prosecutor))).status).toBe(200);
  });
});

describe('GET /items/:evidenceNo', () => {
  it('finds an item by either form of its number, any case', async () => {
    const where = await makeCaseWithSeizure(t);
    const item = await makeItem(t, where);
    for (const text of [
      item.evidenceNo,
      item.printed,
      item.printed.toLowerCase(),
      item.evidenceNo.toLowerCase(),
    ]) {
      const res = await t.http.get(`/api/v1/items/${encodeURIComponent(text)}`).set(auth(t.tokens.clerk));
      expect(res.status).toBe(200);
      expect(res.body.evidenceNo).toBe(item.evidenceNo);
    }
  });

  it('refuses a wrong check digit, a malformed number, and answers 404 for an unknown one', async () => {
    const where = await makeCaseWithSeizure(t);
    const item = await makeItem(t, where);
    const d = item.evidenceNo;
    const wrongDigit = `${d.slice(0, 11)}${(Number(d[11]) + 3) % 10}`;
    const swapped = `EV${d[3]}${d[2]}${d.slice(4)}`;
    for (const bad of [wrongDigit, d[2] === d[3] ? wrongDigit : swapped]) {
      expectProblem(
        await t.http.get(`/api/v1/items/${bad}`).set(auth(t.tokens.clerk)),
        400,
        'invalid_check_digit',
      );
    }
    expectProblem(
      await t.http.get('/api/v1/items/EV12').set(auth(t.tokens.clerk)),
      400,
      'invalid_evidence_number',
    );
    const unknown = formatEvidenceNo(99, 1234567);
    const res = await t.http.get(`/api/v1/items/${unknown.printed}`).set(auth(t.tokens.clerk));
    expectProblem(res, 404, 'item_not_found');
    expect(res.body.evidenceNo).toBe(unknown.compact);
  });
});

describe('seizures keep their items apart', () => {
  it('registers items of two seizures of one case', async () => {
    const c = await makeCase(t);
    const s1 = await makeSeizure(t, c.id);
    const s2 = await makeSeizure(t, c.id, { farmName: 'Second farm' });
    const a = await makeItem(t, { caseId: c.id, seizureId: s1.id });
    const b = await makeItem(t, { caseId: c.id, seizureId: s2.id });
    expect([a.seizureId, b.seizureId]).toEqual([s1.id, s2.id]);
  });
});
