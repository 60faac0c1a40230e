import { type BenchServer, type LatencyResult, startServer, timedGets } from './load';
import type { Metric } from './report';
import type { BenchSizes } from './run';

const HEADER = 'category,make,model,serial,quantity,unit,hashrate_ths,power_w,seal_no,condition,description';

const MODELS = [
  ['Bitmain', 'Antminer S19', 95, 3250],
  ['Bitmain', 'Antminer S19 Pro', 110, 3250],
  ['MicroBT', 'Whatsminer M30S', 88, 3344],
  ['Bitmain', 'Antminer S9', 13.5, 1323],
] as const;

/** A CSV body of `rows` ASIC miners with serials unique within the batch. */
export function importCsv(rows: number, batch: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const [make, model, ths, w] = MODELS[i % MODELS.length]!;
    lines.push(
      `asic_miner,${make},${model},B${batch}-${String(i).padStart(6, '0')},1,pcs,${ths},${w},KZ-${100000 + i},used,"Rack ${i % 40}, row ${i % 12}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function api<T>(
  s: Pick<BenchServer, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  type = 'application/json',
) {
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, 'content-type': type },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The case and seizure the bench's items belong to. */
export const benchCase = (number: string) => ({
  number,
  title: 'Bench: illegal mining farm',
  legalBasis: 'Criminal Code art. 214',
  agency: 'Financial Monitoring Agency',
  openedOn: '2022-03-01',
});

export const BENCH_SEIZURE = {
  farmName: 'Ферма «Қуат-Майнинг»',
  region: 'Pavlodar Region (Ekibastuz)',
  address: 'Ekibastuz, industrial zone 4',
  seizedAt: '2022-02-14T06:30:00+06:00',
  seizingOfficer: 'Capt. A. Nurlanov',
  warrantRef: 'Order 7-2022/114',
  legalGround: 'illegal_grid_connection',
  outcome: 'terminated',
};

interface ImportAnswer {
  count: number;
  evidenceNos: string[];
}

export interface ItemsBenchOptions {
  dir: string;
  sizes: BenchSizes;
  bareEventsPerSec: number | null;
  say: (line: string) => void;
}

/**
 * Through the real app in its own process: one CSV import of `importRows` rows (rows/s against the
 * bare bulk-insert ceiling), more imports until the ledger holds `lookupEvents`, then GET
 * /items/:evidenceNo by random barcode on one connection, against a bare Express GET.
 */
export async function itemsBench(o: ItemsBenchOptions): Promise<{ metrics: Metric[]; notes: string[] }> {
  const { sizes, say } = o;
  const metrics: Metric[] = [];
  const notes: string[] = [];
  const app = await startServer('app', o.dir);
  try {
    const kase = await api<{ id: string }>(app, 'POST', '/cases', benchCase('BENCH-ITEMS/2022'));
    const seizure = await api<{ id: string }>(app, 'POST', `/cases/${kase.body.id}/seizures`, BENCH_SEIZURE);
    if (seizure.status !== 201) {
      notes.push(`items stage skipped: POST /cases/:id/seizures answered ${seizure.status}`);
      return { metrics, notes };
    }
    const query = `?caseId=${kase.body.id}&seizureId=${seizure.body.id}`;
    const importOnce = async (rows: number, batch: number) => {
      const csv = importCsv(rows, batch);
      const started = performance.now();
      const res = await api<ImportAnswer>(app, 'POST', `/items/import${query}`, csv, 'text/csv');
      return { res, seconds: (performance.now() - started) / 1000, bytes: csv.length };
    };

    say(`items: importing ${sizes.importRows} CSV rows in one POST /items/import`);
    const first = await importOnce(sizes.importRows, 0);
    if (first.res.status !== 201 && first.res.status !== 200) {
      notes.push(
        `items stage skipped: POST /items/import answered ${first.res.status} ${JSON.stringify(first.res.body).slice(0, 200)}`,
      );
      return { metrics, notes };
    }
    const rate = sizes.importRows / first.seconds;
    metrics.push({
      group: 'items',
      name: `POST /items/import, ${sizes.importRows.toLocaleString('en-US')} CSV rows, one request`,
      value: rate,
      unit: 'rows/s',
      ratio: o.bareEventsPerSec ? rate / o.bareEventsPerSec : null,
      ceiling: 'bare bulk insert',
      goal: '67,000 rows ≈ 2 s',
      detail: `${first.seconds.toFixed(2)} s for ${(first.bytes / 1e6).toFixed(1)} MB of CSV (parse, validate, allocate, hash, project)`,
    });

    const evidenceNos = [...first.res.body.evidenceNos];
    let head = (await api<{ ledger: { seq: number } }>(app, 'GET', '/health')).body;
    let seq = headSeq(head);
    for (let batch = 1; seq < sizes.lookupEvents && batch < 50; batch++) {
      const rows = Math.min(100_000, sizes.lookupEvents - seq);
      say(`items: growing the ledger for lookups, ${seq} → ${seq + rows} events`);
      const more = await importOnce(rows, batch);
      if (more.res.status !== 201 && more.res.status !== 200) break;
      for (const e of more.res.body.evidenceNos) if (evidenceNos.length < 1_000_000) evidenceNos.push(e);
      head = (await api<{ ledger: { seq: number } }>(app, 'GET', '/health')).body;
      seq = headSeq(head);
    }

    say(
      `items: GET /items/:evidenceNo by random barcode, ${seq} events in the ledger, ${sizes.lookupSeconds} s`,
    );
    let pick = 12345;
    const randomPath = () => {
      pick = (pick * 1103515245 + 12345) % 2147483648;
      return `/api/v1/items/${evidenceNos[pick % evidenceNos.length]}`;
    };
    const headers = { authorization: `Bearer ${app.token}` };
    const lookup = (s: number) => timedGets(app.url, randomPath, headers, s);
    await lookup(Math.min(1, sizes.lookupSeconds));
    const found = await lookup(sizes.lookupSeconds);
    const echo = await startServer('echo', o.dir);
    let bare: LatencyResult;
    try {
      const get = (s: number) => timedGets(echo.url, randomPath, {}, s);
      await get(Math.min(1, sizes.lookupSeconds));
      bare = await get(sizes.lookupSeconds);
    } finally {
      await echo.stop();
    }
    metrics.push(
      {
        group: 'items',
        name: 'bare Express GET /echo/:id, 1 connection (ceiling)',
        value: bare.reqPerSec,
        unit: 'req/s',
        ratio: null,
        p99Ms: bare.p99Ms,
        detail: `p50 ${ms(bare.p50Ms)}, p99 ${ms(bare.p99Ms)}, ${bare.requests} requests`,
      },
      {
        group: 'items',
        name: `GET /items/:evidenceNo, ${seq.toLocaleString('en-US')} events, 1 connection`,
        value: found.reqPerSec,
        unit: 'req/s',
        ratio: bare.reqPerSec > 0 ? found.reqPerSec / bare.reqPerSec : null,
        ceiling: 'bare GET',
        p99Ms: found.p99Ms,
        detail: `p50 ${ms(found.p50Ms)}, p99 ${ms(found.p99Ms)}, ${found.requests} lookups over ${evidenceNos.length.toLocaleString('en-US')} items, ${found.non2xx} non-2xx`,
      },
      {
        group: 'items',
        name: `GET /items/:evidenceNo latency p99 (p50 ${ms(found.p50Ms)})`,
        value: found.p99Ms,
        unit: 'ms',
        // Time: ceiling ÷ this, so lower latency is a higher ratio.
        ratio: found.p99Ms > 0 ? bare.p99Ms / found.p99Ms : null,
        ceiling: 'bare GET p99',
        goal: 'a few ms (1M events)',
      },
    );
    notes.push(
      `item lookups ran with ${seq.toLocaleString('en-US')} events in the ledger (not a million: building one takes minutes; run with --lookup-events 1000000 to try).`,
    );
    return { metrics, notes };
  } finally {
    await app.stop();
  }
}

function headSeq(health: { ledger: { seq: number } }): number {
  return health.ledger.seq;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
