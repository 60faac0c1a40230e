import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendBench, appendThroughLedger } from './append';
import { auditBench } from './audits';
import { httpBench } from './http';
import { itemsBench } from './items';
import { jsonBench } from './json';
import { labelsBench } from './labels';
import { proofsBench } from './proofs';
import type { BenchResult, Metric } from './report';
import { reportsBench } from './reports';
import { verifyBench } from './verify';

export interface BenchSizes {
  /** Concurrent connections for the HTTP runs. */
  connections: number;
  /** Seconds of load per HTTP run (plus a short warm-up). */
  httpSeconds: number;
  /** Events appended by the bare bulk insert and by ledger.writeNow. */
  appendEvents: number;
  /** Events in the ledger that verify walks. */
  verifyEvents: number;
  /** CSV rows in one POST /items/import. */
  importRows: number;
  /** Events in the ledger (at least) when item lookups are timed. */
  lookupEvents: number;
  /** Seconds of lookups. */
  lookupSeconds: number;
  /** Labels: the ceiling's and the first request's count, then the whole-case request's. */
  labelsSmall: number;
  labelsLarge: number;
  /** Items on the shelves of the audited room (audits stage). */
  auditItems: number;
  /** Of its scans, how many are timed one per write (the rest go in batches of 1,000). */
  auditSingleScans: number;
  /** Items in the demo data set whose largest case the reports stage reports on. */
  reportItems: number;
}

export const DEFAULT_SIZES: BenchSizes = {
  connections: 32,
  httpSeconds: 5,
  appendEvents: 67_000,
  verifyEvents: 100_000,
  importRows: 67_000,
  lookupEvents: 300_000,
  lookupSeconds: 5,
  labelsSmall: 1_000,
  labelsLarge: 67_000,
  auditItems: 67_000,
  auditSingleScans: 2_000,
  reportItems: 67_000,
};

export const STAGES = ['http', 'append', 'verify', 'items', 'labels', 'audits', 'reports', 'proofs'] as const;
export type Stage = (typeof STAGES)[number];

export interface BenchOptions {
  sizes?: Partial<BenchSizes>;
  stages?: readonly Stage[];
  /** Progress lines go here (stderr by default); null for silence. */
  log?: ((line: string) => void) | null;
}

/** Runs the bench in a temp directory (removed afterwards) and returns every figure with its ratio. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const sizes = { ...DEFAULT_SIZES, ...options.sizes };
  const stages = new Set(options.stages ?? STAGES);
  const log = options.log === undefined ? (l: string) => process.stderr.write(`${l}\n`) : options.log;
  const say = (l: string) =>
    log?.(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${l}`);
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-'));
  const metrics: Metric[] = [];
  const notes: string[] = [];
  try {
    if (stages.has('http')) {
      say(
        `HTTP: echo, durable tx per request, group commit, then the service (dist/server.js, its logger, tokens): note POSTs at LOG_LEVEL=info and silent, POST /cases — ${sizes.connections} connections, ${sizes.httpSeconds} s each`,
      );
      metrics.push(
        ...(await httpBench({ dir, connections: sizes.connections, durationSec: sizes.httpSeconds })),
      );
      say('HTTP: the I-JSON check of a 1.6 MB body, against JSON.parse alone');
      metrics.push(...jsonBench());
    }
    if (stages.has('append') || stages.has('verify')) {
      say(`append: ${sizes.appendEvents} events, bare vs ledger.writeNow`);
      const { metrics: m, ledger } = appendBench(dir, sizes.appendEvents);
      if (stages.has('append')) metrics.push(...m);
      if (stages.has('verify')) {
        const more = sizes.verifyEvents - ledger.ledger.headSeq;
        if (more > 0) appendThroughLedger(ledger, more, sizes.appendEvents + 1, 20_000);
        await ledger.ledger.close();
        ledger.ledger.checkpoint();
        ledger.db.sqlite.close();
        say(`verify: ${sizes.verifyEvents} events — bare loop, fast path, --full (each in its own process)`);
        metrics.push(...(await verifyBench(ledger.dbPath)));
      } else {
        await ledger.ledger.close();
        ledger.db.sqlite.close();
      }
    }
    if (stages.has('items')) {
      const bare = metrics.find((m) => m.group === 'append' && m.ratio === null);
      const items = await itemsBench({ dir, sizes, bareEventsPerSec: bare?.value ?? null, say });
      metrics.push(...items.metrics);
      notes.push(...items.notes);
    }
    if (stages.has('labels')) {
      metrics.push(...(await labelsBench({ dir, small: sizes.labelsSmall, large: sizes.labelsLarge, say })));
    }
    if (stages.has('audits')) {
      say(`audits: a room of ${sizes.auditItems} items scanned shelf by shelf, then closed`);
      metrics.push(
        ...(await auditBench({ dir, items: sizes.auditItems, singleScans: sizes.auditSingleScans, say })),
      );
    }
    if (stages.has('reports')) metrics.push(...(await reportsBench({ dir, items: sizes.reportItems, say })));
    // Proofs at 1,000,000 events whatever the sizes (the goal's scale; about a minute).
    if (stages.has('proofs')) metrics.push(...(await proofsBench({ dir, say })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push(
    'Ratios are to a ceiling measured in this run on this machine (higher is better; for times, ceiling ÷ time).',
    'CPU-bound figures move by up to 50% between runs on a shared 2-core machine; compare ratios, not absolutes.',
  );
  return {
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    machine: { cpus: cpus().length, node: process.versions.node, platform: process.platform },
    sizes: { ...sizes },
    seconds: (performance.now() - t0) / 1000,
    metrics,
    notes,
  };
}
