import type { AppContext } from '../../context';
import type { Tx } from '../../ledger/types';
import { openCase } from '../cases/cases.service';
import { type BatchEntry, recordBatch } from '../custody/custody.batch';
import { readItemsJson } from '../items/items.input';
import { importItems } from '../items/items.service';
import { createLocation } from '../locations/locations.service';
import { registerParty } from '../parties/parties.service';
import { recordSeizure } from '../seizures/seizures.service';
import type { Role } from '../users/roles';
import * as users from '../users/users.service';
import { COURTS, DEMO_USERS, EXPERTS, LABS, REGIONS, WAREHOUSES } from './demo.catalog';
import { type DemoPlan, type PlannedItem, type PlannedValuation, planTotals } from './demo.generator';

/**
 * Records a demo plan through the same service functions the API calls — openCase, recordSeizure,
 * importItems (with the JSON import's row checks), recordBatch (the /events/batch path) — each
 * unit in `ledger.writeNow`, so the result verifies like any other ledger.
 */

export interface DemoToken {
  username: string;
  role: Role;
  token: string;
}

export interface DemoResult {
  tokens: DemoToken[];
  totals: ReturnType<typeof planTotals>;
  events: number;
  headSeq: number;
  seconds: number;
}

export interface LoadOptions {
  /** Called after each unit of work with the items registered so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** ASIC miners per bin (a pallet place); shelves hold six bins. */
const PER_BIN = 40;
const BINS_PER_SHELF = 6;
const HALLS = ['Зал A', 'Зал B', 'Зал C', 'Зал D'];
const YARD = 'Открытая площадка';
const BATCH = 5000;

interface Warehouse {
  bins: string[];
  spare: string[];
  yard: string;
  next: number;
}

/** RFC 3339 at the given instant with the offset Kazakhstan uses now (UTC+5 since 2024). */
const kzNow = (t: number) => `${new Date(t + 5 * 3600_000).toISOString().slice(0, 19)}+05:00`;
const kz2022 = (t: number) => `${new Date(t + 6 * 3600_000).toISOString().slice(0, 19)}+06:00`;
const DAY = 86_400_000;

export function loadDemo(ctx: AppContext, plan: DemoPlan, options: LoadOptions = {}): DemoResult {
  const started = performance.now();
  const { ledger } = ctx;
  const startSeq = ledger.headSeq;
  const first = plan.cases[0];
  if (first && findCaseId(ctx, first.number)) {
    throw new Error(
      `this database already holds the demo data set (case ${first.number}); point CUSTODY_DB at a new file`,
    );
  }
  const totals = planTotals(plan);
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, totals.items);
  };
  progress(0);

  const { tokens, clerk } = ledger.writeNow((tx) => demoUsers(tx));
  const actor = clerk.id;
  const user = { id: clerk.id, role: clerk.role };

  const used = [
    ...new Set(plan.cases.flatMap((c) => c.seizures.map((s) => REGIONS[s.regionIndex]!.warehouse))),
  ];
  const shelved = new Map<number, number>();
  for (const c of plan.cases) {
    for (const s of c.seizures) {
      const w = REGIONS[s.regionIndex]!.warehouse;
      const n = s.items.filter((i) => i.receivedAfterDays !== null && !i.bulky).length;
      shelved.set(w, (shelved.get(w) ?? 0) + n);
    }
  }
  const { warehouses, parties } = ledger.writeNow((tx) => ({
    warehouses: createWarehouses(tx, used, shelved, actor),
    parties: createParties(tx, actor),
  }));

  const later: { evidenceNo: string; item: PlannedItem; warehouse: Warehouse }[] = [];
  const runBatches = (entries: BatchEntry[]) => {
    for (let i = 0; i < entries.length; i += BATCH) {
      const chunk = entries.slice(i, i + BATCH);
      ledger.writeNow((tx) => recordBatch(tx, chunk, user));
    }
  };

  for (const c of plan.cases) {
    const kase = ledger.writeNow((tx) =>
      openCase(
        tx,
        {
          number: c.number,
          title: c.title,
          legalBasis: c.legalBasis,
          agency: c.agency,
          openedOn: c.openedOn,
          occurredAt: `${c.openedOn}T09:00:00+06:00`,
        },
        actor,
      ),
    );
    for (const s of c.seizures) {
      const { items, regionIndex: _r, ...input } = s;
      const warehouse = warehouses.get(REGIONS[s.regionIndex]!.warehouse)!;
      const imported = ledger.writeNow((tx) => {
        const seizure = recordSeizure(tx, kase.id, input, actor);
        return importItems(
          tx,
          {
            caseId: kase.id,
            seizureId: seizure.id,
            rows: readItemsJson(items.map((i) => i.row)),
            // Registered on site at the raid, as a property officer does.
            occurredAt: s.seizedAt,
          },
          actor,
        );
      });
      // Valued at seizure, then received into the warehouse within days (one scan session).
      const entries: BatchEntry[] = [];
      const seizedAt = Date.parse(s.seizedAt);
      items.forEach((item, i) => {
        const evidenceNo = imported.evidenceNos[i]!;
        entries.push({ evidenceNo, event: valued(item.valuation) });
        if (item.receivedAfterDays !== null) {
          const at = seizedAt + item.receivedAfterDays * DAY + 3 * 3600_000;
          const locationCode = item.bulky ? warehouse.yard : nextBin(warehouse);
          entries.push({
            evidenceNo,
            event: { type: 'received', locationCode, condition: item.row.condition, occurredAt: kz2022(at) },
          });
        }
        if (item.revaluation || item.moved || item.checkout) later.push({ evidenceNo, item, warehouse });
      });
      runBatches(entries);
      progress(items.length);
    }
  }

  // Then, in the order they happened: the late-2022 revaluations, the 2023 re-shelving, recent loans.
  runBatches(
    later.flatMap(({ evidenceNo, item }) =>
      item.revaluation ? [{ evidenceNo, event: valued(item.revaluation) }] : [],
    ),
  );
  runBatches(
    later.flatMap(({ evidenceNo, item, warehouse }, k) =>
      item.moved
        ? [
            {
              evidenceNo,
              event: {
                type: 'moved',
                locationCode: warehouse.spare[k % warehouse.spare.length] ?? nextBin(warehouse),
                reason: 'перестановка стеллажей: консолидация по делам',
                occurredAt: kz2022(Date.parse('2023-03-14T05:00:00Z') + (k % 20) * DAY),
              },
            },
          ]
        : [],
    ),
  );
  const now = ledger.clock().getTime();
  const loans = later.filter((l) => l.item.checkout);
  runBatches(
    loans.map(({ evidenceNo, item }, k) => {
      const co = item.checkout!;
      const court = co.to === 'court';
      return {
        evidenceNo,
        event: {
          type: 'checked_out',
          partyId: court
            ? parties.courts[k % parties.courts.length]!
            : parties.labs[k % parties.labs.length]!,
          purpose: court
            ? 'предъявление вещественного доказательства в судебном заседании'
            : 'компьютерно-техническая экспертиза: установление наработки и принадлежности',
          dueAt: kzNow(now + co.dueInDays * DAY),
          occurredAt: kzNow(now - co.daysAgo * DAY),
        },
      };
    }),
  );
  runBatches(
    loans.flatMap(({ evidenceNo, item }, k) =>
      item.checkout?.to === 'lab'
        ? [
            {
              evidenceNo,
              event: {
                type: 'examined',
                examiner: EXPERTS[k % EXPERTS.length]!.name,
                findings:
                  'Устройство включается; хэш-платы определяются; наработка по журналу ≈ 9 000 ч; серийный номер совпадает с наклейкой на корпусе.',
                partyId: parties.labs[k % parties.labs.length]!,
                occurredAt: kzNow(now - (item.checkout.daysAgo - 1) * DAY),
              },
            },
          ]
        : [],
    ),
  );
  runBatches(
    loans.flatMap(({ evidenceNo, item, warehouse }, k) => {
      const co = item.checkout!;
      if (co.returnedDaysAgo === null) return [];
      const broken = co.to === 'lab';
      return [
        {
          evidenceNo,
          event: {
            type: 'returned',
            locationCode: warehouse.spare[k % warehouse.spare.length] ?? warehouse.bins[0]!,
            condition: broken ? 'после экспертизы, корпус вскрывался' : 'без изменений',
            seal: broken ? 'broken' : 'intact',
            ...(broken ? { newSealNo: `АФМ-ЭКС-${String(100000 + k).padStart(7, '0')}` } : {}),
            occurredAt: kzNow(now - co.returnedDaysAgo * DAY),
          },
        },
      ];
    }),
  );

  ledger.checkpoint();
  return {
    tokens,
    totals,
    events: ledger.headSeq - startSeq,
    headSeq: ledger.headSeq,
    seconds: (performance.now() - started) / 1000,
  };
}

function findCaseId(ctx: AppContext, number: string): string | null {
  const row = ctx.db.sqlite.prepare('SELECT id FROM cases WHERE number = ?').get(number) as
    | { id: string }
    | undefined;
  return row?.id ?? null;
}

function valued(v: PlannedValuation) {
  return {
    type: 'valued',
    amountMinor: v.cents,
    currency: 'USD',
    method: v.method,
    appraiser: v.appraiser,
    asOf: v.asOf,
    occurredAt: `${v.asOf}T11:00:00+06:00`,
  };
}

/** The demo users (created once, a fresh token each run), and an admin if the database has none. */
function demoUsers(tx: Tx) {
  const tokens: DemoToken[] = [];
  const admin = users.bootstrapAdmin(tx);
  if (admin) tokens.push({ username: admin.username, role: 'admin', token: admin.token });
  let clerk: users.UserView | null = null;
  for (const u of DEMO_USERS) {
    const found = users.findUser(tx.db, u.username) ?? users.createUser(tx, u, 'system');
    if (u.role === 'clerk') clerk = found;
    tokens.push({
      username: found.username,
      role: found.role,
      token: users.issueToken(tx, found.id, 'system').token,
    });
  }
  return { tokens, clerk: clerk! };
}

function createParties(tx: Tx, actor: string) {
  const courts = COURTS.map((c) => registerParty(tx, { kind: 'court', ...c }, actor).id);
  const labs = LABS.map((l) => registerParty(tx, { kind: 'forensic_lab', ...l }, actor).id);
  for (const e of EXPERTS) registerParty(tx, { kind: 'expert', ...e }, actor);
  return { courts, labs };
}

/** warehouse › hall › shelf › bin, with bins enough for what each warehouse receives, plus spares. */
function createWarehouses(tx: Tx, used: number[], shelved: Map<number, number>, actor: string) {
  const out = new Map<number, Warehouse>();
  for (const w of used.sort((a, b) => a - b)) {
    const wh = createLocation(tx, { kind: 'warehouse', name: WAREHOUSES[w]! }, actor);
    const yard = createLocation(tx, { kind: 'room', name: YARD, parentCode: wh.code }, actor);
    const bins = Math.ceil(((shelved.get(w) ?? 0) / PER_BIN) * 1.1) + BINS_PER_SHELF;
    const shelvesPerHall = Math.max(1, Math.ceil(bins / (HALLS.length * BINS_PER_SHELF)));
    const codes: string[] = [];
    for (const hall of HALLS) {
      const room = createLocation(tx, { kind: 'room', name: hall, parentCode: wh.code }, actor);
      for (let s = 1; s <= shelvesPerHall; s++) {
        const shelf = createLocation(
          tx,
          {
            kind: 'shelf',
            name: `Стеллаж ${hall.slice(-1)}-${String(s).padStart(2, '0')}`,
            parentCode: room.code,
          },
          actor,
        );
        for (let b = 1; b <= BINS_PER_SHELF; b++) {
          codes.push(
            createLocation(tx, { kind: 'bin', name: `Ячейка ${b}`, parentCode: shelf.code }, actor).code,
          );
        }
      }
    }
    // Bins are filled hall by hall; the last tenth stays free for re-shelving and returns.
    const spareFrom = Math.floor(codes.length * 0.9);
    out.set(w, { bins: codes.slice(0, spareFrom), spare: codes.slice(spareFrom), yard: yard.code, next: 0 });
  }
  return out;
}

function nextBin(w: Warehouse): string {
  const bin = w.bins[Math.min(Math.floor(w.next / PER_BIN), w.bins.length - 1)]!;
  w.next += 1;
  return bin;
}
