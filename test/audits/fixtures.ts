import { execFileSync } from 'node:child_process';
import type { Role } from '../../src/modules/users/roles';
import { makeLocation, record } from '../custody/fixtures';
import { auth, type TestApp } from '../helpers/app';

export { makeItems, makeParty, makeShelf, nextWeek, record } from '../custody/fixtures';

/** A room with shelves inside it (and optionally bins in the first shelf). */
export async function makeRoom(t: TestApp, shelves = 2, bins = 0) {
  const wh = await makeLocation(t);
  const room = await makeLocation(t, { kind: 'room', name: 'Room 2', parentCode: wh.code });
  const made = [];
  for (let i = 0; i < shelves; i++) {
    made.push(
      await makeLocation(t, {
        kind: 'shelf',
        name: `Shelf ${String.fromCharCode(65 + i)}`,
        parentCode: room.code,
      }),
    );
  }
  const binList = [];
  for (let i = 0; i < bins; i++) {
    binList.push(await makeLocation(t, { kind: 'bin', name: `Bin ${i + 1}`, parentCode: made[0]!.code }));
  }
  return { warehouse: wh, room, shelves: made, bins: binList };
}

/** Receives each item at the location. */
export async function receiveAll(t: TestApp, items: string[], locationCode: string) {
  for (const ev of items) await record(t, ev, { type: 'received', locationCode });
}

export async function startAudit(t: TestApp, body: Record<string, unknown>, role: Role = 'clerk') {
  const res = await t.http.post('/api/v1/audits').set(auth(t.tokens[role])).send(body);
  if (res.status !== 201) throw new Error(`startAudit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; counts: { expected: number } };
}

export function postScans(t: TestApp, auditId: string, body: Record<string, unknown>, role: Role = 'clerk') {
  return t.http.post(`/api/v1/audits/${auditId}/scans`).set(auth(t.tokens[role])).send(body);
}

export interface ScanResultBody {
  outcome: string;
  code: string;
  inScope: boolean;
  message: string;
  expectedLocation?: { code: string };
  [k: string]: unknown;
}

/** Scans codes one request each (as a keyboard-wedge scanner does); returns each answer's result. */
export async function scanEach(t: TestApp, auditId: string, codes: string[], role: Role = 'clerk') {
  const out: ScanResultBody[] = [];
  for (const code of codes) {
    const res = await postScans(t, auditId, { code }, role);
    if (res.status !== 201) throw new Error(`scan ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(res.body.results[0]);
  }
  return out;
}

export function closeAudit(
  t: TestApp,
  auditId: string,
  body: Record<string, unknown> = {},
  role: Role = 'clerk',
) {
  return t.http.post(`/api/v1/audits/${auditId}/close`).set(auth(t.tokens[role])).send(body);
}

/** GETs a PDF as bytes, at one service address (supertest listens on a new port per request). */
export function getPdf(t: TestApp, path: string, role: Role = 'prosecutor') {
  return t.http
    .get(path)
    .set(auth(t.tokens[role]))
    .set('Host', 'custody.example:3000')
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** The text of a PDF as pdftotext reads it, whitespace collapsed. */
export const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

/** EV2600000014 → EV-26-0000001-4. */
export const printedNo = (c: string) => `${c.slice(0, 2)}-${c.slice(2, 4)}-${c.slice(4, 11)}-${c.slice(11)}`;
