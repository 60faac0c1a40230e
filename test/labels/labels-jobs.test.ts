import { describe, expect, it } from 'vitest';
import { formatEvidenceNo, formatLocationCode } from '../../src/lib/codes';
import { destroyThroughLedger } from '../custody/fixtures';
import { auth, makeTestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { expectProblem } from '../helpers/problem';
import { makeItem, makeSeizure } from '../items/fixtures';
import { getLabels, makeLabelCase, makeLocation } from './fixtures';

const t = makeTestApp();

function lastEvent() {
  const { db } = t.app.locals.ctx;
  const row = db.sqlite.prepare('SELECT * FROM events ORDER BY seq DESC LIMIT 1').get() as {
    type: string;
    actor: string;
    entity_type: string;
    entity_id: string;
    data: string;
  };
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

async function receive(evidenceNo: string, locationCode: string) {
  const res = await t.http
    .post(`/api/v1/items/${evidenceNo}/events`)
    .set(auth(t.tokens.clerk))
    .send({ type: 'received', locationCode });
  expect(res.status).toBe(201);
}

describe('print jobs in the ledger', () => {
  it('records one labels_printed event per job, the requester as actor, with items, format and copies', async () => {
    const fx = await makeLabelCase(t);
    const before = t.head();
    const res = await getLabels(t, { caseId: fx.caseId, format: '4x2', copies: 2 }, t.tokens.prosecutor);
    expect(res.status).toBe(200);
    expect(res.headers['x-labels-count']).toBe('6');
    expect(t.head()).toBe(before + 1);
    const e = lastEvent();
    expect(e).toMatchObject({
      type: 'labels_printed',
      entity_type: 'label_job',
      actor: t.userIds.prosecutor,
    });
    expect(e.entity_id).toBe(res.headers['x-labels-job']);
    expect(e.data).toEqual({
      output: 'pdf',
      format: '4x2',
      copies: 2,
      labels: 6,
      selection: { by: 'caseId', caseId: fx.caseId },
      items: fx.items.map((i) => i.evidenceNo),
    });
    // A roll prints one label a page: 3 items × 2 copies.
    expect((res.body as Buffer).toString('latin1').match(/\/Type \/Page\b/g)?.length).toBe(6);
  });

  it("shows each job, and a reprint, in the item's history without the job's item list", async () => {
    const fx = await makeLabelCase(t);
    const [a] = fx.items;
    const ev = a?.evidenceNo as string;
    await getLabels(t, { items: ev, format: '2x1' });
    await getLabels(t, { items: `${a?.printed},${fx.items[1]?.evidenceNo}`, format: '4x6' });
    const res = await t.http.get(`/api/v1/items/${ev}/history`).set(auth(t.tokens.auditor));
    expect(res.status).toBe(200);
    const prints = (
      res.body.events as { type: string; actor: { id: string }; data: Record<string, unknown> }[]
    ).filter((e) => e.type === 'labels_printed');
    expect(prints.map((p) => p.data.format)).toEqual(['2x1', '4x6']);
    expect(prints[0]?.actor.id).toBe(t.userIds.clerk);
    expect(prints[1]?.data).toMatchObject({
      output: 'pdf',
      copies: 1,
      labels: 2,
      selection: { by: 'items' },
    });
    expect(prints[1]?.data.items).toBeUndefined();
    expect(prints[1]?.data.jobId).toMatch(/^lbl_/);
  });

  it('GET /items?labelPrinted=false finds the items never printed', async () => {
    const fx = await makeLabelCase(t);
    await getLabels(t, { items: fx.items[0]?.evidenceNo as string });
    const q = (v: string) =>
      t.http.get('/api/v1/items').query({ caseId: fx.caseId, labelPrinted: v }).set(auth(t.tokens.clerk));
    const unprinted = await q('false');
    expect(unprinted.status).toBe(200);
    expect(unprinted.body.items.map((i: { evidenceNo: string }) => i.evidenceNo)).toEqual(
      fx.items.slice(1).map((i) => i.evidenceNo),
    );
    const printed = await q('true');
    expect(printed.body.items.map((i: { evidenceNo: string }) => i.evidenceNo)).toEqual([
      fx.items[0]?.evidenceNo,
    ]);
  });
});

describe('selections', () => {
  it('prints an explicit list in its order, either form, each number once', async () => {
    const fx = await makeLabelCase(t);
    const [a, b] = fx.items;
    const res = await getLabels(t, {
      items: `${b?.printed.toLowerCase()}, ${a?.evidenceNo},${b?.evidenceNo}`,
    });
    expect(res.status).toBe(200);
    expect(lastEvent().data.items).toEqual([b?.evidenceNo, a?.evidenceNo]);
  });

  it('POST takes a long list as JSON', async () => {
    const fx = await makeLabelCase(t);
    const res = await t.http
      .post('/api/v1/labels/items.pdf')
      .set(auth(t.tokens.clerk))
      .send({ items: fx.items.map((i) => i.printed), format: 'a4-l7160', start: 20 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(lastEvent().data).toMatchObject({ format: 'a4-l7160', start: 20, labels: 3 });
  });

  it('locationCode= takes the location and everything inside it; seizureId= the seizure', async () => {
    const fx = await makeLabelCase(t);
    const wh = await makeLocation(t, 'warehouse', `WH ${Math.random()}`);
    const room = await makeLocation(t, 'room', 'Room 2', wh.code);
    await receive(fx.items[0]?.evidenceNo as string, room.code);
    await receive(fx.items[2]?.evidenceNo as string, wh.code);
    const res = await getLabels(t, { locationCode: wh.code });
    expect(res.status).toBe(200);
    expect(lastEvent().data.items).toEqual([fx.items[0]?.evidenceNo, fx.items[2]?.evidenceNo]);
    const bySeizure = await getLabels(t, { seizureId: fx.seizureId, format: '62mm' });
    expect(bySeizure.status).toBe(200);
    expect(bySeizure.headers['x-labels-count']).toBe('3');
  });
});

describe('refusals write nothing', () => {
  async function refused(query: Record<string, string | number | boolean>, status: number, code: string) {
    const before = t.head();
    const res = await getLabels(t, query);
    res.body = JSON.parse((res.body as Buffer).toString('utf8'));
    expectProblem(res, status, code);
    expect(t.head()).toBe(before);
    return res.body as Record<string, unknown>;
  }

  it('an unknown format, naming the valid ones', async () => {
    const fx = await makeLabelCase(t);
    const body = await refused({ caseId: fx.caseId, format: '3x5' }, 400, 'unknown_label_format');
    expect(body.formats).toEqual(['4x6', '4x2', '2x1', '62mm', 'a4-l7163', 'a4-l7160', 'letter-5160']);
  });

  it('unknown items, listed; with skipMissing=true printed without them, said in a header', async () => {
    const fx = await makeLabelCase(t);
    const ghost = formatEvidenceNo(26, 9_999_001).compact;
    const items = `${fx.items[0]?.evidenceNo},${ghost}`;
    const body = await refused({ items }, 404, 'label_items_not_found');
    expect(body.unknown).toEqual([ghost]);
    const before = t.head();
    const res = await getLabels(t, { items, skipMissing: true });
    expect(res.status).toBe(200);
    expect(res.headers['x-labels-skipped']).toBe(`${ghost} unknown`);
    expect(res.headers['x-labels-count']).toBe('1');
    expect(t.head()).toBe(before + 1);
    expect(lastEvent().data.skipped).toEqual({ unknown: [ghost], disposed: [] });
  });

  it('disposed items, in a list or in a case; skipMissing=true leaves them out', async () => {
    const c = await makeCase(t);
    const s = await makeSeizure(t, c.id);
    const gone = await makeItem(t, { caseId: c.id, seizureId: s.id });
    const kept = await makeItem(t, { caseId: c.id, seizureId: s.id });
    const wh = await makeLocation(t, 'warehouse', `WH ${Math.random()}`);
    await receive(gone.evidenceNo, wh.code);
    destroyThroughLedger(t, gone.evidenceNo);
    const body = await refused(
      { items: `${gone.evidenceNo},${kept.evidenceNo}` },
      409,
      'label_items_disposed',
    );
    expect(body.disposed).toEqual([gone.evidenceNo]);
    await refused({ caseId: c.id }, 409, 'label_items_disposed');
    const res = await getLabels(t, { caseId: c.id, skipMissing: true });
    expect(res.status).toBe(200);
    expect(res.headers['x-labels-skipped']).toBe(`${gone.evidenceNo} disposed`);
    expect(lastEvent().data.items).toEqual([kept.evidenceNo]);
  });

  it('an empty selection: none given, or a case with no items', async () => {
    await refused({ format: '4x2' }, 400, 'empty_selection');
    const c = await makeCase(t);
    await refused({ caseId: c.id }, 400, 'empty_selection');
    await refused({ caseId: 'case_nope' }, 404, 'case_not_found');
  });

  it('start= beyond the sheet, or on a roll; copies out of 1–10', async () => {
    const fx = await makeLabelCase(t);
    const body = await refused(
      { caseId: fx.caseId, format: 'a4-l7160', start: 22 },
      400,
      'start_beyond_sheet',
    );
    expect(body.perSheet).toBe(21);
    expect(body.detail).toBe('the a4-l7160 sheet holds 21 labels; start= must be 1–21');
    await refused({ caseId: fx.caseId, format: '4x2', start: 2 }, 400, 'start_beyond_sheet');
    await refused({ caseId: fx.caseId, copies: 0 }, 400, 'validation_failed');
    await refused({ caseId: fx.caseId, copies: 11 }, 400, 'validation_failed');
    await refused({ caseId: fx.caseId, items: fx.items[0]?.evidenceNo as string }, 400, 'validation_failed');
    await refused({ items: 'EV2600000015' }, 400, 'invalid_check_digit');
  });

  it('mistyped numbers: every one listed with its position and reason, in GET and POST', async () => {
    const fx = await makeLabelCase(t);
    const good = fx.items[0]?.evidenceNo as string;
    const body = await refused({ items: `EV2699999995,${good},EV2699999985` }, 400, 'invalid_check_digit');
    expect(body.total).toBe(2);
    expect(body.errors).toEqual([
      {
        position: 1,
        value: 'EV2699999995',
        code: 'invalid_check_digit',
        detail: expect.stringContaining('check digit'),
      },
      {
        position: 3,
        value: 'EV2699999985',
        code: 'invalid_check_digit',
        detail: expect.stringContaining('check digit'),
      },
    ]);
    expect(body.detail).toMatch(/^2 of the 3 numbers listed are mistyped .*no\. 1 "EV2699999995"/);
    const before = t.head();
    const many = Array.from({ length: 2000 }, (_, i) => formatEvidenceNo(26, i + 1).compact);
    many[10] = 'EV2699999995';
    many[1500] = 'EV-26-12';
    const res = await t.http.post('/api/v1/labels/items.pdf').set(auth(t.tokens.clerk)).send({ items: many });
    expectProblem(res, 400, 'invalid_check_digit');
    expect(res.body.total).toBe(2);
    expect(res.body.errors.map((e: { position: number; code: string }) => [e.position, e.code])).toEqual([
      [11, 'invalid_check_digit'],
      [1501, 'invalid_evidence_number'],
    ]);
    expect(res.body.detail).toContain('1 with a wrong check digit and 1 not an evidence number');
    expect(t.head()).toBe(before);
  });

  it('skipMissing=true with nothing left to print: empty_selection, naming what was skipped', async () => {
    const ghosts = [formatEvidenceNo(26, 9_999_101).compact, formatEvidenceNo(26, 9_999_102).compact];
    const body = await refused({ items: ghosts.join(','), skipMissing: true }, 400, 'empty_selection');
    expect(body.skipped).toEqual({ unknown: ghosts, disposed: [] });
  });

  it('location labels: an unknown format, start= beyond the sheet, copies=0, no codes', async () => {
    const wh = await makeLocation(t, 'warehouse', `Refusals WH ${Math.random()}`);
    const cases: [Record<string, string | number>, number, string][] = [
      [{ codes: wh.code, format: '3x5' }, 400, 'unknown_label_format'],
      [{ codes: wh.code, format: 'a4-l7163', start: 15 }, 400, 'start_beyond_sheet'],
      [{ codes: wh.code, copies: 0 }, 400, 'validation_failed'],
      [{ format: '4x2' }, 400, 'empty_selection'],
    ];
    for (const [query, status, code] of cases) {
      const before = t.head();
      const res = await t.http.get('/api/v1/labels/locations.pdf').query(query).set(auth(t.tokens.clerk));
      expectProblem(res, status, code);
      expect(t.head()).toBe(before);
      if (code === 'unknown_label_format') expect(res.body.formats).toHaveLength(7);
    }
  });

  it('location labels: every mistyped or unregistered code in codes= is named, in one problem', async () => {
    const wh = await makeLocation(t, 'warehouse', `Codes WH ${Math.random()}`);
    const room = await makeLocation(t, 'room', 'Room 1', wh.code);
    const ghost = formatLocationCode(9_999_001);
    const ghost2 = formatLocationCode(9_999_002);
    const wrongDigit = `${wh.code.slice(0, 9)}${(Number(wh.code[9]) + 1) % 10}`;
    const get = (codes: string) =>
      t.http.get('/api/v1/labels/locations.pdf').query({ codes }).set(auth(t.tokens.clerk));
    const before = t.head();

    // Mistyped, malformed and unregistered together: the first mistyped one's code, all listed.
    const mixed = await get(
      `${wh.code},${ghost.printed},${wrongDigit},shelf-9,${room.printed},${ghost2.compact}`,
    );
    expectProblem(mixed, 400, 'invalid_check_digit');
    expect(mixed.body.total).toBe(4);
    expect(
      mixed.body.errors.map((e: { position: number; value: string; code: string }) => [
        e.position,
        e.value,
        e.code,
      ]),
    ).toEqual([
      [2, ghost.compact, 'location_not_found'],
      [3, wrongDigit, 'invalid_check_digit'],
      [4, 'shelf-9', 'invalid_location_code'],
      [6, ghost2.compact, 'location_not_found'],
    ]);
    expect(mixed.body.unknown).toEqual([ghost.compact, ghost2.compact]);
    expect(mixed.body.detail).toBe(
      `4 of the 6 location codes listed are mistyped or not registered (1 with a wrong check digit, 1 not a location code and 2 not registered; first: no. 2 "${ghost.compact}"; first invalid_check_digit: no. 3 "${wrongDigit}"); nothing was printed — correct them and send the list again`,
    );

    // Only unregistered ones: 404, each named.
    const unknown = await get(`${ghost.compact} ${wh.code} ${ghost2.printed.toLowerCase()}`);
    expectProblem(unknown, 404, 'location_not_found');
    expect(unknown.body.unknown).toEqual([ghost.compact, ghost2.compact]);
    expect(unknown.body.detail).toMatch(/^2 of the 3 location codes listed are not registered/);

    // One bad code among several: where it is in the list.
    const one = await get(`${wh.code},${ghost.compact}`);
    expectProblem(one, 404, 'location_not_found');
    expect(one.body.detail).toBe(
      `no location "${ghost.compact}" (no. 2 of the 2 listed); nothing was printed`,
    );
    expectProblem(await get(','), 400, 'empty_selection');
    expect(t.head()).toBe(before);

    // The good ones print, each once, in the list's order.
    const ok = await get(`${room.printed},${wh.code},${room.code}`);
    expect(ok.status).toBe(200);
    expect(t.head()).toBe(before + 1);
    expect(lastEvent().data.locations).toEqual([room.code, wh.code]);
  });

  it('a job whose print event cannot be recorded sends no labels', async () => {
    const fx = await makeLabelCase(t);
    const { sqlite } = t.app.locals.ctx.db;
    // The projection's insert fails inside the event's transaction, as a full disk would.
    sqlite.exec(
      `CREATE TEMP TRIGGER labels_fail BEFORE INSERT ON label_prints BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
    );
    try {
      const before = t.head();
      const res = await getLabels(t, { caseId: fx.caseId, format: '4x2' });
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((res.body as Buffer).subarray(0, 5).toString()).not.toBe('%PDF-');
      expect(res.headers['x-labels-job']).toBeUndefined();
      expect(t.head()).toBe(before);
    } finally {
      sqlite.exec('DROP TRIGGER labels_fail');
    }
    const again = await getLabels(t, { caseId: fx.caseId, format: '4x2' });
    expect(again.status).toBe(200);
  });

  it('a list of more than 100,000 evidence numbers', async () => {
    const before = t.head();
    const many = Array.from({ length: 100_001 }, (_, i) => formatEvidenceNo(26, i + 1).compact);
    const res = await t.http.post('/api/v1/labels/items.pdf').set(auth(t.tokens.clerk)).send({ items: many });
    expectProblem(res, 400, 'too_many_labels');
    expect(t.head()).toBe(before);
  });

  it('more than 100,000 labels', async () => {
    const before = t.head();
    const many = Array.from({ length: 50_001 }, (_, i) => formatEvidenceNo(26, i + 1).compact);
    const res = await t.http
      .post('/api/v1/labels/items.pdf')
      .set(auth(t.tokens.clerk))
      .send({ items: many, copies: 2 });
    expectProblem(res, 400, 'too_many_labels');
    expect(t.head()).toBe(before);
  });
});
