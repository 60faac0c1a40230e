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
