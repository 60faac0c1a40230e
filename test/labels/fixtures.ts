import { expect } from 'vitest';
import type { LabelFormat } from '../../src/modules/labels/labels.formats';
import { auth, type TestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { makeItem, makeSeizure } from '../items/fixtures';

/** A case with a Kazakh-named site and three items: one with a Kazakh make, one counted lot. */
export async function makeLabelCase(t: TestApp) {
  const c = await makeCase(t);
  const s = await makeSeizure(t, c.id, { farmName: 'Қуат-Әлем Екібастұз' });
  const where = { caseId: c.id, seizureId: s.id };
  const kazakh = await makeItem(t, where, { make: 'Қазақ ӘҒҚҢӨҰҮҺІ', model: 'S19' });
  const plain = await makeItem(t, where, { make: 'Bitmain', model: 'Antminer S19 Pro' });
  const lot = await makeItem(t, where, {
    category: 'cable_lot',
    make: null,
    model: null,
    serialNumber: null,
    quantity: 120,
    unit: 'm',
  });
  return { caseId: c.id, seizureId: s.id, items: [kazakh, plain, lot] };
}

export function getLabels(
  t: TestApp,
  query: Record<string, string | number | boolean>,
  token = t.tokens.clerk,
) {
  return t.http
    .get('/api/v1/labels/items.pdf')
    .query(query)
    .set(auth(token))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** A location through the API, as the clerk. */
export async function makeLocation(t: TestApp, kind: string, name: string, parentCode?: string) {
  const res = await t.http
    .post('/api/v1/locations')
    .set(auth(t.tokens.clerk))
    .send({ kind, name, ...(parentCode ? { parentCode } : {}) });
  expect(res.status).toBe(201);
  return res.body as { code: string; printed: string };
}

/** A sheet's first `rows` rows in px at `dpi` (a crop for pdftoppm: zbarimg is slow on a page); a roll: all. */
export function sheetRows(f: LabelFormat, dpi: number, rows: number) {
  if (!f.sheet) return undefined;
  const px = dpi / 72;
  return {
    x: 0,
    y: 0,
    w: Math.ceil(f.sheet.page.width * px),
    h: Math.ceil((f.sheet.top + rows * f.sheet.pitchY) * px),
  };
}
