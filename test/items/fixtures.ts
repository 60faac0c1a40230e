import { auth, type TestApp } from '../helpers/app';
import { makeCase } from '../helpers/factories';

export function seizureBody(overrides: Record<string, unknown> = {}) {
  return {
    farmName: 'Ферма «Қуат»',
    region: 'Pavlodar Region (Ekibastuz)',
    address: 'Ekibastuz, industrial zone 4, building 17',
    latitude: 51.7237,
    longitude: 75.3226,
    seizedAt: '2022-02-14T06:30:00+06:00',
    seizingOfficer: 'Capt. A. Nurlanov',
    warrantRef: 'Order 7-2022/114',
    legalGround: 'illegal_grid_connection' as const,
    outcome: 'terminated' as const,
    estimatedLoadKw: 4200,
    ...overrides,
  };
}

export async function makeSeizure(t: TestApp, caseId: string, overrides: Record<string, unknown> = {}) {
  const res = await t.http
    .post(`/api/v1/cases/${caseId}/seizures`)
    .set(auth(t.tokens.clerk))
    .send(seizureBody(overrides));
  if (res.status !== 201) throw new Error(`makeSeizure: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; caseId: string };
}

/** A case with one seizure, through the API. */
export async function makeCaseWithSeizure(t: TestApp) {
  const c = await makeCase(t);
  const s = await makeSeizure(t, c.id);
  return { caseId: c.id, seizureId: s.id };
}

let serialCounter = 0;

export function itemFields(overrides: Record<string, unknown> = {}) {
  serialCounter += 1;
  return {
    category: 'asic_miner',
    make: 'Bitmain',
    model: 'Antminer S19 Pro',
    serialNumber: `HTX${String(serialCounter).padStart(8, '0')}`,
    hashrateThs: 110,
    powerW: 3250,
    sealNo: `KZ-${serialCounter}`,
    condition: 'used, working',
    ...overrides,
  };
}

export interface ItemBody {
  evidenceNo: string;
  printed: string;
  status: string;
  [k: string]: unknown;
}

export async function makeItem(
  t: TestApp,
  where: { caseId: string; seizureId: string },
  overrides: Record<string, unknown> = {},
) {
  const res = await t.http
    .post('/api/v1/items')
    .set(auth(t.tokens.clerk))
    .send({ ...where, ...itemFields(overrides) });
  if (res.status !== 201) throw new Error(`makeItem: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ItemBody;
}

export function postCsv(
  t: TestApp,
  where: { caseId: string; seizureId: string },
  body: string | Buffer,
  contentType = 'text/csv',
  token = t.tokens.clerk,
) {
  return t.http
    .post(`/api/v1/items/import?caseId=${where.caseId}&seizureId=${where.seizureId}`)
    .set(auth(token))
    .set('Content-Type', contentType)
    .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}

export const CSV_HEADER =
  'category,make,model,serial,quantity,unit,hashrate_ths,power_w,seal_no,condition,description';

/** `n` good CSV rows of S19s with serials from `prefix`. */
export function csvRows(n: number, prefix: string): string[] {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(
      `asic_miner,Bitmain,Antminer S19,${prefix}${String(i).padStart(6, '0')},1,pcs,95,3250,S-${i},used,rack ${i}`,
    );
  }
  return rows;
}

/** Serial part of a compact evidence number. */
export const serialOf = (evidenceNo: string) => Number(evidenceNo.slice(4, 11));
