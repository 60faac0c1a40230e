import { describe, expect, it } from 'vitest';
import { compareProjections } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { auth, makeTestApp } from '../helpers/app';
import { expectProblem } from '../helpers/problem';
import { CSV_HEADER, csvRows, makeCaseWithSeizure, makeItem, postCsv, serialOf } from './fixtures';

const t = makeTestApp();

const itemCount = (caseId: string) =>
  (
    t.app.locals.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM items WHERE case_id = ?').get(caseId) as {
      n: number;
    }
  ).n;

describe('POST /items/import (CSV)', () => {
  it('records the registration at the occurredAt given (the raid), offset kept; refuses one in the future', async () => {
    const where = await makeCaseWithSeizure(t);
    const url = (occurredAt: string) =>
      `/api/v1/items/import?caseId=${where.caseId}&seizureId=${where.seizureId}&occurredAt=${encodeURIComponent(occurredAt)}`;
    const csv = `${CSV_HEADER}\n${csvRows(2, 'AT').join('\n')}\n`;
    const before = t.head();
    const future = await t.http
      .post(url(new Date(Date.now() + 86_400_000).toISOString()))
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expectProblem(future, 400, 'occurred_in_future');
    expect(t.head()).toBe(before);
    const res = await t.http
      .post(url('2022-02-14T06:30:00+06:00'))
      .set(auth(t.tokens.clerk))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(res.status).toBe(201);
    const rows = t.app.locals.ctx.db.sqlite
      .prepare("SELECT occurred_at FROM events WHERE type = 'item_registered' AND seq > ?")
      .all(before) as { occurred_at: string }[];
    expect(rows).toEqual([
      { occurred_at: '2022-02-14T06:30:00+06:00' },
      { occurred_at: '2022-02-14T06:30:00+06:00' },
    ]);
  });

  it('imports 1,000 rows with contiguous evidence numbers, one event each', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const res = await postCsv(t, where, `${CSV_HEADER}\n${csvRows(1000, 'OK').join('\n')}\n`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...where, count: 1000 });
    expect(res.body.importId).toMatch(/^imp_/);
    const serials = (res.body.evidenceNos as string[]).map(serialOf);
    expect(serials).toEqual(Array.from({ length: 1000 }, (_, i) => (serials[0] as number) + i));
    expect(res.body.first).toBe(res.body.evidenceNos[0]);
    expect(res.body.last).toBe(res.body.evidenceNos[999]);
    expect(t.head()).toBe(before + 1000);
    expect(itemCount(where.caseId)).toBe(1000);
    const item = await t.http.get(`/api/v1/items/${res.body.evidenceNos[7]}`).set(auth(t.tokens.clerk));
    expect(item.body).toMatchObject({
      serialNumber: 'OK000007',
      make: 'Bitmain',
      model: 'Antminer S19',
      hashrateThs: 95,
      powerW: 3250,
      sealNo: 'S-7',
      description: 'rack 7',
      status: 'registered',
    });
  });

  it('reads a Russian-Excel file: BOM, CRLF, `;`, decimal commas, quoted cells, any header case', async () => {
    const where = await makeCaseWithSeizure(t);
    const csv =
      '\uFEFFCategory;MAKE;Model;Serial;Quantity;Unit;Hashrate_THs;Power_W;Seal_No;Condition;Description\r\n' +
      'asic_miner;MicroBT;Whatsminer M30S;"M30S;001";1;pcs;88,5;3344;П-1;б/у;"Изъято из стойки №4, ""верхний"" ряд"\r\n' +
      'cable_lot;;;;120;м;;;;;"кабель ВВГ\r\nдва мотка"\r\n' +
      ';;;;;;;;;;\r\n' +
      'GPU_RIG;Сборка;6×RTX 3070;;1;pcs;0,36;1200;;;Қарағанды\r\n';
    const res = await postCsv(t, where, csv);
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(3);
    const [miner, cable, rig] = await Promise.all(
      (res.body.evidenceNos as string[]).map(
        async (no) => (await t.http.get(`/api/v1/items/${no}`).set(auth(t.tokens.clerk))).body,
      ),
    );
    expect(miner).toMatchObject({
      category: 'asic_miner',
      serialNumber: 'M30S;001',
      hashrateThs: 88.5,
      condition: 'б/у',
      description: 'Изъято из стойки №4, "верхний" ряд',
    });
    expect(cable).toMatchObject({
      category: 'cable_lot',
      quantity: 120,
      unit: 'м',
      make: null,
      description: 'кабель ВВГ\r\nдва мотка',
    });
    expect(rig).toMatchObject({
      category: 'gpu_rig',
      make: 'Сборка',
      hashrateThs: 0.36,
      description: 'Қарағанды',
    });
  });

  it('accepts a subset of the columns in any order, with defaults', async () => {
    const where = await makeCaseWithSeizure(t);
    const res = await postCsv(t, where, 'serial,category\nA-1,psu\nA-2,psu\n');
    expect(res.status).toBe(201);
    const item = await t.http.get(`/api/v1/items/${res.body.first}`).set(auth(t.tokens.clerk));
    expect(item.body).toMatchObject({ category: 'psu', serialNumber: 'A-1', quantity: 1, unit: 'pcs' });
  });

  it('writes nothing when one row among 1,000 is bad, and names every bad line', async () => {
    const where = await makeCaseWithSeizure(t);
    const rows = csvRows(1000, 'AON');
    rows[10] = 'asic_miner,Bitmain,Antminer S19,X10,-2,pcs,95,3250,,,'; // line 12
    rows[500] = 'toaster,Bitmain,Antminer S19,X500,1,pcs,95,3250,,,'; // line 502
    rows[998] = 'asic_miner,Bitmain,Antminer S19,X998,1.5,pcs,ninety,3250,,,'; // line 1000
    const before = t.head();
    const res = await postCsv(t, where, `${CSV_HEADER}\n${rows.join('\n')}\n`);
    expectProblem(res, 400, 'import_rows_invalid');
    expect(res.body.rowCount).toBe(1000);
    expect(res.body.errors).toEqual([
      { line: 12, column: 'quantity', message: expect.stringContaining('1 or more') },
      { line: 502, column: 'category', message: expect.stringContaining('"toaster" is not a category') },
      { line: 1000, column: 'quantity', message: expect.stringContaining('whole number') },
      { line: 1000, column: 'hashrate_ths', message: expect.stringContaining('not a number') },
    ]);
    expect(t.head()).toBe(before);
    expect(itemCount(where.caseId)).toBe(0);
  });

  it('refuses ragged rows, listing each one', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const res = await postCsv(
      t,
      where,
      'category,make,model\nasic_miner,Bitmain,S9\nasic_miner,Bitmain\npsu,a,b,c\n',
    );
    expectProblem(res, 400, 'import_rows_invalid');
    expect(res.body.errors).toEqual([
      { line: 3, column: null, message: 'has 2 field(s) but the header has 3' },
      { line: 4, column: null, message: 'has 4 field(s) but the header has 3' },
    ]);
    expect(t.head()).toBe(before);
  });

  it('counts lines across quoted line breaks when naming a bad row', async () => {
    const where = await makeCaseWithSeizure(t);
    const res = await postCsv(t, where, 'category,description\nasic_miner,"one\ntwo\r\nthree"\nbad,x\n');
    expectProblem(res, 400, 'import_rows_invalid');
    expect(res.body.errors).toEqual([{ line: 5, column: 'category', message: expect.any(String) }]);
  });

  it('refuses formula-like cells, naming line and column', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const csv = [
      'category,make,model,description,quantity',
      'asic_miner,Bitmain,S9,"=cmd|\' /C calc\'!A0",1',
      'asic_miner,@SUM(A1),S9,ok,1',
      'asic_miner,Bitmain,+A1,ok,1',
      'asic_miner,Bitmain,S9,"\tpadded",1',
      'asic_miner,Bitmain,S9,-2+3,1',
      'asic_miner,Bitmain,S9,ok,-5',
      'asic_miner,Bitmain,S9,-,1',
    ].join('\n');
    const res = await postCsv(t, where, csv);
    expectProblem(res, 400, 'import_rows_invalid');
    const formula = expect.stringContaining('formula');
    expect(res.body.errors).toEqual([
      { line: 2, column: 'description', message: formula },
      { line: 3, column: 'make', message: formula },
      { line: 4, column: 'model', message: formula },
      { line: 5, column: 'description', message: formula },
      { line: 6, column: 'description', message: formula },
      { line: 7, column: 'quantity', message: expect.stringContaining('1 or more') },
    ]);
    expect(t.head()).toBe(before);
  });

  it('refuses an unknown column, a repeated one, and a header without category', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const unknown = await postCsv(t, where, 'category,make,colour\nasic_miner,Bitmain,red\n');
    expectProblem(unknown, 400, 'invalid_csv');
    expect(unknown.body).toMatchObject({ line: 1, unknownColumns: ['colour'] });
    expect(unknown.body.detail).toContain('"colour"');
    expectProblem(await postCsv(t, where, 'category,Make,make\nasic_miner,a,b\n'), 400, 'invalid_csv');
    expectProblem(await postCsv(t, where, 'make,model\na,b\n'), 400, 'invalid_csv');
    expect(t.head()).toBe(before);
  });

  it('ignores a nameless empty column such as Excel’s trailing separator, but not a value in it', async () => {
    const where = await makeCaseWithSeizure(t);
    const ok = await postCsv(t, where, 'category;make;;\r\npsu;Delta;;\r\n');
    expect(ok.status).toBe(201);
    const bad = await postCsv(t, where, 'category;make;\r\npsu;Delta;oops\r\n');
    expectProblem(bad, 400, 'import_rows_invalid');
    expect(bad.body.errors).toEqual([
      { line: 2, column: 'column 3', message: expect.stringContaining('no name') },
    ]);
  });

  it('refuses a broken quote, an empty body and a header alone', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const broken = await postCsv(t, where, 'category,description\nasic_miner,"never closed\n');
    expectProblem(broken, 400, 'invalid_csv');
    expect(broken.body.detail).toMatch(/line \d/);
    expectProblem(await postCsv(t, where, ''), 400, 'invalid_csv');
    expectProblem(await postCsv(t, where, 'category\r\n'), 400, 'invalid_csv');
    expect(t.head()).toBe(before);
  });

  it('refuses Windows-1251 bytes, saying how to save as CSV UTF-8', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    // "category;make\nasic_miner;Майнер" as Windows-1251
    const cp1251 = Buffer.concat([
      Buffer.from('category;make\nasic_miner;'),
      Buffer.from([0xcc, 0xe0, 0xe9, 0xed, 0xe5, 0xf0, 0x0a]),
    ]);
    const res = await postCsv(t, where, cp1251);
    expectProblem(res, 400, 'invalid_encoding');
    expect(res.body.detail).toContain('CSV UTF-8');
    const declared = await postCsv(t, where, 'category\nasic_miner\n', 'text/csv; charset=windows-1251');
    expectProblem(declared, 400, 'invalid_encoding');
    expect(t.head()).toBe(before);
  });

  it('refuses a serial repeated in the file or already in the case, unless the row says duplicate_ok', async () => {
    const where = await makeCaseWithSeizure(t);
    const stored = await makeItem(t, where, {
      make: 'Bitmain',
      model: 'Antminer S9',
      serialNumber: 'S9-OLD',
    });
    const before = t.head();
    const csv = [
      'category,make,model,serial,duplicate_ok',
      'asic_miner,Bitmain,Antminer S9,S9-NEW,',
      'asic_miner,bitmain,ANTMINER S9,S9-NEW,',
      'asic_miner,Bitmain,Antminer S9,S9-OLD,FALSE',
      'asic_miner,Bitmain,Antminer S19,S9-OLD,',
    ].join('\n');
    const res = await postCsv(t, where, csv);
    expectProblem(res, 409, 'duplicate_serial');
    expect(res.body.errors).toEqual([
      { line: 3, column: 'serial', message: expect.stringContaining('also at line 2') },
      { line: 4, column: 'serial', message: expect.stringContaining(stored.evidenceNo) },
    ]);
    expect(t.head()).toBe(before);
    // true or false, as the message says: not yes/no/1/да.
    for (const word of ['yes', '1', 'да']) {
      const vague = await postCsv(t, where, csv.replace(/,$/gm, ',true').replace(',FALSE', `,${word}`));
      expectProblem(vague, 400, 'import_rows_invalid');
      expect(vague.body.errors).toEqual([
        { line: 4, column: 'duplicate_ok', message: `duplicate_ok must be true or false, got "${word}"` },
      ]);
    }
    expect(t.head()).toBe(before);
    const allowed = await postCsv(t, where, csv.replace(/,$/gm, ',true').replace(',FALSE', ',TRUE'));
    expect(allowed.status).toBe(201);
    expect(allowed.body.count).toBe(4);
  });

  it('reports duplicates together with other bad rows as import_rows_invalid', async () => {
    const where = await makeCaseWithSeizure(t);
    await makeItem(t, where, { make: 'Bitmain', model: 'Antminer S19', serialNumber: 'MIX-1' });
    const csv =
      'category,make,model,serial,quantity\nasic_miner,Bitmain,Antminer S19,MIX-1,1\nasic_miner,Bitmain,Antminer S19,MIX-2,0\n';
    const res = await postCsv(t, where, csv);
    expectProblem(res, 400, 'import_rows_invalid');
    expect(res.body.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [3, 'quantity'],
    ]);
  });

  it('answers 404 for an unknown case or a seizure of another case, before reading the body', async () => {
    const a = await makeCaseWithSeizure(t);
    const b = await makeCaseWithSeizure(t);
    const before = t.head();
    expectProblem(
      await postCsv(t, { caseId: a.caseId, seizureId: b.seizureId }, 'category\npsu\n'),
      404,
      'seizure_not_found',
    );
    expectProblem(
      await postCsv(t, { caseId: 'case_nope', seizureId: a.seizureId }, 'category\npsu\n'),
      404,
      'case_not_found',
    );
    expect(t.head()).toBe(before);
  });

  it('refuses 100,001 rows and accepts 100,000', async () => {
    const where = await makeCaseWithSeizure(t);
    const rows = csvRows(100_001, 'MAX');
    const before = t.head();
    const tooMany = await postCsv(t, where, `${CSV_HEADER}\n${rows.join('\n')}\n`);
    expectProblem(tooMany, 400, 'too_many_rows');
    expect(tooMany.body).toMatchObject({ rowCount: 100_001, maxRows: 100_000 });
    expect(t.head()).toBe(before);
    const ok = await postCsv(t, where, `${CSV_HEADER}\n${rows.slice(1).join('\n')}\n`);
    expect(ok.status).toBe(201);
    expect(ok.body.count).toBe(100_000);
    expect(t.head()).toBe(before + 100_000);
  });

  it('refuses a 60 MB body with 413 and writes nothing', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const body = Buffer.alloc(60 * 1024 * 1024, 'a');
    body.write('category\n');
    const res = await postCsv(t, where, body);
    expectProblem(res, 413, 'payload_too_large');
    expect(t.head()).toBe(before);
  });

  it('refuses a body that is neither CSV nor JSON', async () => {
    const where = await makeCaseWithSeizure(t);
    expectProblem(await postCsv(t, where, 'category\npsu\n', 'text/plain'), 415, 'unsupported_media_type');
  });
});

describe('POST /items/import (JSON)', () => {
  const post = (where: { caseId: string; seizureId: string }, body: unknown) =>
    t.http
      .post(`/api/v1/items/import?caseId=${where.caseId}&seizureId=${where.seizureId}`)
      .set(auth(t.tokens.clerk))
      .send(body as object);

  it('imports an array of items', async () => {
    const where = await makeCaseWithSeizure(t);
    const res = await post(where, [
      {
        category: 'asic_miner',
        make: 'Bitmain',
        model: 'Antminer L7',
        serialNumber: 'L7-1',
        hashrateThs: 0.0095,
        powerW: 3425,
      },
      { category: 'transformer', model: 'ТМГ-1000/10', powerW: 1_000_000 },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(2);
  });

  it('lists every bad row by its array index (from 0), and writes nothing', async () => {
    const where = await makeCaseWithSeizure(t);
    const before = t.head();
    const res = await post(where, [
      { category: 'asic_miner' },
      { category: 'asic_miner', quantity: -3 },
      { category: 'asic_miner', quantity: 1.5 },
      { category: 'asic_miner', colour: 'red' },
      'not an object',
    ]);
    expectProblem(res, 400, 'import_rows_invalid');
    expect(res.body.errors.map((e: { index: number; column: string | null }) => [e.index, e.column])).toEqual(
      [
        [1, 'quantity'],
        [2, 'quantity'],
        [3, null],
        [4, null],
      ],
    );
    expect(res.body.errors.some((e: object) => 'line' in e)).toBe(false);
    expect(res.body.detail).toContain('first: index 1');
    expect(t.head()).toBe(before);
  });

  it('names a repeated serial by the index it repeats', async () => {
    const where = await makeCaseWithSeizure(t);
    const row = { category: 'asic_miner', make: 'Bitmain', model: 'S9', serialNumber: 'S9-REPEAT' };
    const res = await post(where, [row, { category: 'psu' }, row]);
    expectProblem(res, 409, 'duplicate_serial');
    expect(res.body.errors).toEqual([
      { index: 2, column: 'serial', message: expect.stringContaining('is also at index 0') },
    ]);
  });

  it('refuses an object instead of an array, and an empty array', async () => {
    const where = await makeCaseWithSeizure(t);
    expectProblem(await post(where, { category: 'psu' }), 400, 'validation_failed');
    expectProblem(await post(where, []), 400, 'validation_failed');
  });
});

describe('rebuild', () => {
  it('rebuilds items, seizures and the evidence counters from the ledger exactly', async () => {
    const where = await makeCaseWithSeizure(t);
    expect((await postCsv(t, where, `${CSV_HEADER}\n${csvRows(50, 'RB').join('\n')}\n`)).status).toBe(201);
    await makeItem(t, where);
    expect(compareProjections(t.app.locals.ctx.db, projectors)).toEqual([]);
  });
});
