import { join } from 'node:path';
import { createContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import { generateSigner } from '../../src/ledger/signer';
import { SYSTEM_ACTOR } from '../../src/ledger/types';
import { closeAudit } from '../../src/modules/audits/audits.close';
import { recordScans } from '../../src/modules/audits/audits.scan';
import { showAudit, startAudit } from '../../src/modules/audits/audits.service';
import { openCase } from '../../src/modules/cases/cases.service';
import { appendItemEvent } from '../../src/modules/custody/custody.service';
import { readItemsJson } from '../../src/modules/items/items.input';
import { importItems } from '../../src/modules/items/items.service';
import { createLocation } from '../../src/modules/locations/locations.service';
import { recordSeizure } from '../../src/modules/seizures/seizures.service';
import { createUser } from '../../src/modules/users/users.service';
import type { Metric } from './report';

export interface AuditBenchOptions {
  dir: string;
  /** Items on the audited shelves (the seed: 67,000). */
  items: number;
  /** Single scans timed one request at a time (the rest go in batches of 1,000). */
  singleScans: number;
  say: (line: string) => void;
}

const SHELVES = 40;
const ms = (from: number) => performance.now() - from;

/**
 * An audit of a whole room at seed scale, through the services and the one writer: scans one per
 * write (a keyboard-wedge scanner) against a bare one-event write, the rest in batches of 1,000 (a
 * handheld syncing), the live state of the open audit, and the close with 1% of the items missing.
 */
export async function auditBench(o: AuditBenchOptions): Promise<Metric[]> {
  const db = openDb(join(o.dir, 'audits.db'));
  const { ledger } = createContext({ db, signer: generateSigner(), checkpointIntervalMs: 0 });
  const { room, shelves, items, clerk } = ledger.writeNow((tx) => {
    const user = createUser(
      tx,
      { username: 'bench.clerk', displayName: 'Bench clerk', role: 'clerk' },
      SYSTEM_ACTOR,
    );
    const kase = openCase(
      tx,
      { number: 'B-1/2022', title: 'Bench', legalBasis: 'art. 214', agency: 'FMA', openedOn: '2022-03-01' },
      user.id,
    );
    const seizure = recordSeizure(
      tx,
      kase.id,
      {
        farmName: 'Bench farm',
        region: 'Pavlodar',
        address: 'Ekibastuz',
        seizedAt: '2022-02-14T06:30:00+06:00',
        seizingOfficer: 'Capt. Bench',
        warrantRef: 'W-1',
        legalGround: 'illegal_grid_connection',
        outcome: 'terminated',
      },
      user.id,
    );
    const wh = createLocation(tx, { kind: 'warehouse', name: 'Bench WH' }, user.id);
    const r = createLocation(tx, { kind: 'room', name: 'Room 1', parentCode: wh.code }, user.id);
    const s = Array.from({ length: SHELVES }, (_, i) =>
      createLocation(tx, { kind: 'shelf', name: `Shelf ${i + 1}`, parentCode: r.code }, user.id),
    );
    const rows = readItemsJson(
      Array.from({ length: o.items }, (_, i) => ({
        category: 'asic_miner',
        make: 'Bitmain',
        model: 'Antminer S19',
        serialNumber: `AUD${String(i).padStart(7, '0')}`,
      })),
    );
    const imported = importItems(tx, { caseId: kase.id, seizureId: seizure.id, rows }, user.id);
    return { room: r, shelves: s, items: imported.evidenceNos, clerk: user };
  });
  const shelfOf = (i: number) => shelves[i % SHELVES]!.code;
  ledger.writeNow((tx) => {
    items.forEach((evidenceNo, i) => {
      appendItemEvent({ tx, actor: clerk, evidenceNo, type: 'received', data: { locationCode: shelfOf(i) } });
    });
  });
  o.say(`audits: ${o.items} items on ${SHELVES} shelves received`);

  // The ceiling: one bare event per write, awaited one after another (a scanner waits for each answer).
  const single = Math.min(o.singleScans, items.length);
  let t = performance.now();
  for (let i = 0; i < single; i++) {
    await ledger.write((tx) =>
      tx.append({ type: 'bench_event', entityType: 'bench', entityId: 'b', actor: clerk.id, data: { i } }),
    );
  }
  const bareRate = single / (ms(t) / 1000);

  const audit = ledger.writeNow((tx) => startAudit(tx, { locationCode: room.code }, clerk.id));
  // Shelf by shelf; 1% of the items stay unscanned (missing at close).
  const order = shelves.flatMap((s, k) => [
    s.code,
    ...items.filter((_, i) => i % SHELVES === k && i % 100 !== 99),
  ]);
  t = performance.now();
  for (let i = 0; i < single; i++) {
    await ledger.write((tx) => recordScans(tx, audit.id, { code: order[i]! }, clerk.id));
  }
  const singleRate = single / (ms(t) / 1000);
  const rest = order.slice(single);
  t = performance.now();
  for (let i = 0; i < rest.length; i += 1000) {
    await ledger.write((tx) =>
      recordScans(tx, audit.id, { scans: rest.slice(i, i + 1000).map((code) => ({ code })) }, clerk.id),
    );
  }
  const batchMs = ms(t);
  t = performance.now();
  const live = showAudit(db, audit.id);
  const liveMs = ms(t);
  const before = ledger.headSeq;
  t = performance.now();
  const closed = await ledger.write((tx) => closeAudit(tx, audit.id, {}, clerk));
  const closeMs = ms(t);
  const written = ledger.headSeq - before;
  o.say(
    `audits: ${order.length} scans, close wrote ${written} events (${closed.counts.missing} missing of ${closed.counts.expected})`,
  );
  await ledger.close();
  db.sqlite.close();
  const batchRate = rest.length > 0 ? rest.length / (batchMs / 1000) : singleRate;
  return [
    {
      group: 'audits',
      name: 'ledger.write, one bare event per awaited write',
      value: bareRate,
      unit: 'writes/s',
      ratio: null,
    },
    {
      group: 'audits',
      name: 'POST /audits/:id/scans service, one scan per awaited write',
      value: singleRate,
      unit: 'scans/s',
      ratio: singleRate / bareRate,
      ceiling: 'ledger.write, one bare event per awaited write',
      detail: `${single} scans`,
    },
    {
      group: 'audits',
      name: 'scans in batches of 1,000 (a handheld syncing)',
      value: batchRate,
      unit: 'scans/s',
      ratio: batchRate / bareRate,
      ceiling: 'ledger.write, one bare event per awaited write',
      detail: `${rest.length} scans in ${Math.ceil(rest.length / 1000)} events, ${(batchMs / 1000).toFixed(1)} s`,
    },
    {
      group: 'audits',
      name: `GET /audits/:id of the open audit (${o.items} items)`,
      value: liveMs,
      unit: 'ms',
      ratio: null,
      detail: `found ${live.counts.found}, not yet scanned ${live.counts.notYetScanned}`,
    },
    {
      group: 'audits',
      name: `POST /audits/:id/close (${o.items} items, 1% missing)`,
      value: closeMs,
      unit: 'ms',
      ratio: null,
      detail: `${written} events: one audit_discrepancy and one item_reported_missing per missing item, the summary`,
    },
  ];
}
