import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { createApp } from '../../src/app';
import type { AppContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import { type CheckpointRow, checkpointFromRow } from '../../src/ledger/ledger';
import {
  consistencyProof,
  consistencyProofFrom,
  inclusionProof,
  inclusionProofFrom,
  leafHash,
  nodeHash,
  type SubtreeSource,
} from '../../src/ledger/proofs';
import { generateSigner } from '../../src/ledger/signer';
import { consistencyAnswer, inclusionAnswer } from '../../src/modules/ledger/proofs.service';
import * as users from '../../src/modules/users/users.service';
import { type LatencyResult, timedGets } from './load';
import type { Metric } from './report';

/** A small deterministic PRNG (mulberry32), so every run asks for the same proofs. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timing {
  mean: number;
  p50: number;
  p99: number;
  /** p99 of the process's CPU time per call: what the wall-clock p99 would be without preemption. */
  cpuP99: number;
  n: number;
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

/** Times `fn` on each input, one after another: wall clock, and the process's CPU time. */
function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const input of inputs) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(input);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return {
    mean: wall.reduce((s, x) => s + x, 0) / wall.length,
    p50: quantile(wall, 0.5),
    p99: quantile(wall, 0.99),
    cpuP99: quantile(cpu, 0.99),
    n: wall.length,
  };
}

const f3 = (v: number) => `${v.toFixed(3)} ms`;
const spread = (t: Timing) =>
  `mean ${f3(t.mean)}, p50 ${f3(t.p50)}, p99 ${f3(t.p99)} (CPU time p99 ${f3(t.cpuP99)}) over ${t.n}`;

/**
 * The bare ceiling: the whole tree of the same leaves in memory, one flat Buffer per level (built
 * once, not timed), and RFC 6962's proof computation over it — what a proof costs when nothing is
 * read from anywhere.
 */
function inMemoryTree(leaves: Buffer): SubtreeSource {
  const levels = [leaves];
  for (let below = leaves; below.length >= 64; ) {
    const up = Buffer.allocUnsafe(Math.floor(below.length / 64) * 32);
    for (let i = 0; i * 64 + 64 <= below.length; i++) {
      nodeHash(below.subarray(i * 64, i * 64 + 32), below.subarray(i * 64 + 32, i * 64 + 64)).copy(
        up,
        i * 32,
      );
    }
    levels.push(up);
    below = up;
  }
  return {
    perfect: (height, index) => Buffer.from(levels[height]!.subarray(index * 32, index * 32 + 32)),
  };
}

/**
 * Builds the bench ledger through the ledger's own append (ledger.writeNow, small events, commits
 * of 500–1,500 events, a checkpoint signed about every 1,000): the tiles are the ones production
 * keeps, and the signed sizes are irregular, as a real ledger's are.
 */
function buildLedger(ctx: AppContext, events: number, rnd: () => number): number {
  const started = performance.now();
  while (ctx.ledger.headSeq < events) {
    const n = Math.min(events - ctx.ledger.headSeq, 500 + Math.floor(rnd() * 1000));
    ctx.ledger.writeNow((tx) => {
      for (let i = 0; i < n; i++) {
        tx.append({
          type: 'bench_event',
          entityType: 'item',
          entityId: 'EV1',
          actor: 'usr_bench',
          data: { i },
        });
      }
    });
  }
  ctx.ledger.checkpoint();
  return (performance.now() - started) / 1000;
}

export interface ProofsBenchOptions {
  dir: string;
  /** Events in the ledger (1,000,000 by default). */
  events?: number;
  /** Inclusion proofs timed per figure (consistency proofs: a quarter). */
  samples?: number;
  /** Seconds of proofs through HTTP (0: none). */
  httpSeconds?: number;
  say?: (line: string) => void;
}

/**
 * Proofs at scale: a ledger of `events` built through the ledger's append, then random inclusion
 * proofs (against the head's checkpoint) and consistency proofs (from a random signed checkpoint
 * to the head) through the service functions the routes call — over the real SQLite file — and a
 * few seconds of them through HTTP. Ceilings from the same run: the same proofs computed over the
 * whole tree held in memory, and a bare Express GET.
 */
export async function proofsBench(o: ProofsBenchOptions): Promise<Metric[]> {
  const events = o.events ?? 1_000_000;
  const samples = o.samples ?? 4000;
  const httpSeconds = o.httpSeconds ?? 3;
  const say = o.say ?? (() => {});
  const dir = mkdtempSync(join(o.dir, 'proofs-'));
  const rnd = random(6962);
  say(`proofs: building a ledger of ${events.toLocaleString('en-US')} events through ledger.writeNow`);
  const app = createApp({
    db: openDb(join(dir, 'custody.db')),
    signer: generateSigner(),
    checkpointIntervalMs: 0,
  });
  const ctx = app.locals.ctx;
  const metrics: Metric[] = [];
  try {
    // The HTTP client's user and token first: the proofs then prove a tree of exactly `events`.
    const token = ctx.ledger.writeNow((tx) => {
      const u = users.createUser(
        tx,
        { username: 'bench', displayName: 'Bench auditor', role: 'auditor' },
        'system',
      );
      return users.issueToken(tx, u.id, 'system').token;
    });
    const buildSeconds = buildLedger(ctx, events, rnd);
    const { db, ledger } = ctx;
    const head = ledger.headSeq;
    const signed = (
      db.sqlite.prepare('SELECT * FROM checkpoints ORDER BY tree_size').all() as CheckpointRow[]
    ).map((r) => checkpointFromRow(r, ledger.origin));
    const size = `${head.toLocaleString('en-US')} events`;

    say(`proofs: ${samples} inclusion and ${samples / 4} consistency proofs, service functions and bare`);
    const seqs = Array.from({ length: samples }, () => 1 + Math.floor(rnd() * head));
    const froms = Array.from(
      { length: samples / 4 },
      () => signed[Math.floor(rnd() * (signed.length - 1))]!.treeSize,
    );
    // The ceiling's tree, from the same leaf hashes (building it is not timed).
    const leaves = Buffer.alloc(head * 32);
    let at = 0;
    for (const h of db.sqlite.prepare('SELECT hash FROM events ORDER BY seq').pluck().iterate()) {
      leafHash(h as string).copy(leaves, at);
      at += 32;
    }
    const memory = inMemoryTree(leaves);
    // Once each, untimed: JIT, statements, the head's partial tile.
    for (const seq of seqs.slice(0, 200)) inclusionAnswer(db, ledger, seq);
    for (const from of froms.slice(0, 50)) consistencyAnswer(db, ledger, from);

    const bareIncl = timeEach(seqs, (seq) => inclusionProofFrom(memory, seq - 1, head));
    const proofIncl = timeEach(seqs, (seq) => inclusionProof(db, seq - 1, head));
    const serviceIncl = timeEach(seqs, (seq) => inclusionAnswer(db, ledger, seq));
    const bareCons = timeEach(froms, (from) => consistencyProofFrom(memory, from, head));
    const proofCons = timeEach(froms, (from) => consistencyProof(db, from, head));
    const serviceCons = timeEach(froms, (from) => consistencyAnswer(db, ledger, from));
    // Inclusion at an older signed size (another size's partial tile, hashed once per size).
    const older = seqs.map((seq) => ({ seq, cp: signed.find((c) => c.treeSize >= seq) ?? signed.at(-1)! }));
    const olderIncl = timeEach(older, ({ seq, cp }) => inclusionAnswer(db, ledger, seq, cp.treeSize));
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`;

    metrics.push(
      {
        group: 'proofs',
        name: `bare inclusion proof, whole tree in memory, ${size} (ceiling)`,
        value: bareIncl.mean,
        unit: 'ms',
        ratio: null,
        p99Ms: bareIncl.p99,
        detail: `${spread(bareIncl)} random leaves; RFC 6962 over flat per-level buffers of the same leaf hashes`,
      },
      {
        group: 'proofs',
        name: 'inclusion proof (service: GET /ledger/proofs/inclusion without HTTP)',
        value: serviceIncl.mean,
        unit: 'ms',
        ratio: bareIncl.mean / serviceIncl.mean,
        ceiling: 'bare inclusion proof',
        goal: '< 1 ms',
        p99Ms: serviceIncl.p99,
        detail: `${spread(serviceIncl)} random seqs against the head's checkpoint (tiles, the event, the check against the signed root, the tlog-proof); the proof from the tiles alone: ${spread(proofIncl)}; at older signed sizes: ${spread(olderIncl)}`,
      },
      {
        group: 'proofs',
        name: `inclusion proof p99 (service; p99 of CPU time ${f3(serviceIncl.cpuP99)})`,
        value: serviceIncl.p99,
        unit: 'ms',
        ratio: bareIncl.p99 / serviceIncl.p99,
        ceiling: 'bare inclusion proof p99',
        goal: '< 1 ms',
      },
      {
        group: 'proofs',
        name: `bare consistency proof, whole tree in memory, ${size} (ceiling)`,
        value: bareCons.mean,
        unit: 'ms',
        ratio: null,
        p99Ms: bareCons.p99,
        detail: `${spread(bareCons)} random signed sizes to the head`,
      },
      {
        group: 'proofs',
        name: 'consistency proof (service: GET /ledger/proofs/consistency without HTTP)',
        value: serviceCons.mean,
        unit: 'ms',
        ratio: bareCons.mean / serviceCons.mean,
        ceiling: 'bare consistency proof',
        goal: '< 1 ms',
        p99Ms: serviceCons.p99,
        detail: `${spread(serviceCons)} from random signed checkpoints (of ${signed.length}) to the head, both checkpoints read, the proof checked against both roots; the proof from the tiles alone: ${spread(proofCons)}`,
      },
      {
        group: 'proofs',
        name: `consistency proof p99 (service; p99 of CPU time ${f3(serviceCons.cpuP99)})`,
        value: serviceCons.p99,
        unit: 'ms',
        ratio: bareCons.p99 / serviceCons.p99,
        ceiling: 'bare consistency proof p99',
        goal: '< 1 ms',
      },
    );
    if (httpSeconds > 0) {
      say(`proofs: GET /ledger/proofs/inclusion through HTTP for ${httpSeconds} s, then a bare Express GET`);
      let i = 0;
      const ours = await overHttp(
        app,
        httpSeconds,
        () => `/api/v1/ledger/proofs/inclusion?seq=${seqs[i++ % seqs.length]}`,
        {
          authorization: `Bearer ${token}`,
        },
      );
      const echo = express();
      echo.get('/echo/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
      const bare = await overHttp(echo, httpSeconds, () => `/echo/${i++}`, {});
      const ms = (v: number) => `${v.toFixed(2)} ms`;
      metrics.push(
        {
          group: 'proofs',
          name: 'bare Express GET /echo/:id, 1 connection, p50 (ceiling)',
          value: bare.p50Ms,
          unit: 'ms',
          ratio: null,
          p99Ms: bare.p99Ms,
          detail: `p50 ${ms(bare.p50Ms)}, p99 ${ms(bare.p99Ms)}, ${bare.requests} requests`,
        },
        {
          group: 'proofs',
          name: `GET /ledger/proofs/inclusion, ${size}, 1 connection, p50`,
          value: ours.p50Ms,
          unit: 'ms',
          ratio: bare.p50Ms / ours.p50Ms,
          ceiling: 'bare Express GET',
          p99Ms: ours.p99Ms,
          detail: `p50 ${ms(ours.p50Ms)}, p99 ${ms(ours.p99Ms)}, ${ours.requests} requests (${ours.reqPerSec.toFixed(0)}/s), ${ours.non2xx} non-2xx; createApp (auth, validation, JSON) and the client in this process, as the bare GET`,
        },
      );
    }
    metrics[0]!.detail += `; ${load}; ledger built in ${buildSeconds.toFixed(1)} s through ledger.writeNow (tiles kept by the append), ${signed.length} signed checkpoints`;
    return metrics;
  } finally {
    await ctx.ledger.close();
    ctx.db.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One keep-alive connection to `handler` listening on a loopback port in this process, for `seconds`. */
async function overHttp(
  handler: express.Express,
  seconds: number,
  path: () => string,
  headers: Record<string, string>,
): Promise<LatencyResult> {
  const server = handler.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await timedGets(url, path, headers, Math.min(0.5, seconds));
    return await timedGets(url, path, headers, seconds);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

// `npx tsx scripts/bench/proofs.ts [EVENTS]`: the proofs stage on its own (1,000,000 events by default).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-proofs-'));
  try {
    const metrics = await proofsBench({
      dir,
      events: Number(process.argv[2] ?? 1_000_000),
      say: (l) => process.stderr.write(`${l}\n`),
    });
    for (const m of metrics) {
      const ratio = m.ratio === null ? 'ceiling' : `${m.ratio.toFixed(2)}×`;
      console.log(
        `${m.name.padEnd(72)} ${m.value.toFixed(3).padStart(8)} ${m.unit}  ${ratio.padStart(7)}  ${m.goal ?? ''}`,
      );
      if (m.detail) console.log(`  ${m.detail}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
