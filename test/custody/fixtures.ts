import { ledgerType } from '../../src/modules/custody/state-machine';
import { registerItem } from '../../src/modules/items/items.service';
import { recordSeizure } from '../../src/modules/seizures/seizures.service';
import type { Role } from '../../src/modules/users/roles';
import type { TestApp } from '../helpers/app';
import { auth } from '../helpers/app';
import { makeCase } from '../helpers/factories';
import { seizureBody } from '../items/fixtures';

let locationCounter = 0;

/** Creates a location through the API as the clerk (a warehouse unless a parent is given). */
export async function makeLocation(
  t: TestApp,
  body: { kind?: string; name?: string; parentCode?: string } = {},
): Promise<{ code: string; printed: string; kind: string; path: string }> {
  locationCounter += 1;
  const res = await t.http
    .post('/api/v1/locations')
    .set(auth(t.tokens.clerk))
    .send({ kind: 'warehouse', name: `Warehouse ${locationCounter}`, ...body });
  if (res.status !== 201) throw new Error(`makeLocation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A warehouse › room › shelf chain; returns the shelf. */
export async function makeShelf(t: TestApp, name = 'Shelf A') {
  const wh = await makeLocation(t);
  const room = await makeLocation(t, { kind: 'room', name: 'Room 1', parentCode: wh.code });
  return makeLocation(t, { kind: 'shelf', name, parentCode: room.code });
}

export async function makeParty(t: TestApp, body: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/v1/parties')
    .set(auth(t.tokens.clerk))
    .send({ kind: 'court', name: 'Экибастузский городской суд', ...body });
  if (res.status !== 201) throw new Error(`makeParty: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

let itemCounter = 0;

/**
 * Registers `n` ASIC miners in a fresh case and seizure, through the items and seizures services
 * (the clerk as actor), dated at the seizure as on site; returns their compact evidence numbers.
 */
export async function makeItems(t: TestApp, n = 1): Promise<string[]> {
  const c = await makeCase(t);
  const { ledger } = t.app.locals.ctx;
  return ledger.writeNow((tx) => {
    const seizure = recordSeizure(tx, c.id, seizureBody(), t.userIds.clerk);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      itemCounter += 1;
      const item = registerItem(
        tx,
        {
          caseId: c.id,
          seizureId: seizure.id,
          category: 'asic_miner',
          make: 'Bitmain',
          model: 'Antminer S19 Pro',
          serialNumber: `HTX21${String(itemCounter).padStart(8, '0')}`,
          quantity: 1,
          unit: 'pcs',
          hashrateThs: 110,
          powerW: 3250,
          sealNo: `KZ-FMA ${String(itemCounter).padStart(7, '0')}`,
        },
        t.userIds.clerk,
        tx.now,
        seizure.seizedAt,
      );
      out.push(item.evidenceNo);
    }
    return out;
  });
}

export async function makeItem(t: TestApp): Promise<string> {
  return (await makeItems(t, 1))[0]!;
}

/** Posts one custody event as `role` (clerk by default). */
export function postEvent(
  t: TestApp,
  evidenceNo: string,
  event: Record<string, unknown>,
  role: Role = 'clerk',
) {
  return t.http
    .post(`/api/v1/items/${encodeURIComponent(evidenceNo)}/events`)
    .set(auth(t.tokens[role]))
    .send(event);
}

/** Posts an event and fails the test unless it was recorded. */
export async function record(
  t: TestApp,
  evidenceNo: string,
  event: Record<string, unknown>,
  role: Role = 'clerk',
) {
  const res = await postEvent(t, evidenceNo, event, role);
  if (res.status !== 201)
    throw new Error(`record ${String(event.type)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { seq: number; item: { status: string; locationCode: string | null } };
}

/** A due time a week after now. */
export const nextWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

/**
 * Stands in for the disposal workflow (another module): the item's destruction, appended through
 * the ledger (disposal_authorised, then destroyed), by the supervisor.
 */
export function destroyThroughLedger(t: TestApp, evidenceNo: string): void {
  t.app.locals.ctx.ledger.writeNow((tx) => {
    for (const type of ['disposal_authorised', 'destroyed'] as const) {
      tx.append({
        type: ledgerType(type),
        entityType: 'item',
        entityId: evidenceNo,
        actor: t.userIds.supervisor,
        data: {},
      });
    }
  });
}
