import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDb } from '../../src/db/open';
import { sha256Hex } from '../../src/ledger/hash';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/proofs';
import { rebuildTiles } from '../../src/ledger/tiles';
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

const ms = (t0: number) => performance.now() - t0;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Proofs at scale: `events` rows (the hashes need not chain for the tree), tiles built by the
 * rebuild, then random inclusion and consistency proofs from the tiles against the head. The
 * ceiling is the bare hashing of each proof's path (verifying it), measured on the same proofs.
 */
export function proofsBench(dir: string, events: number, samples = 2000): Metric[] {
  const db = openDb(join(dir, 'proofs.db'));
  try {
    db.sqlite.pragma('synchronous = OFF');
    const insert = db.sqlite.prepare(
      `INSERT INTO events (seq, type, entity_type, entity_id, occurred_at, recorded_at, actor, data, prev_hash, hash)
       VALUES (?, 'bench_event', 'item', ?, ?, ?, 'usr_bench', '{}', ?, ?)`,
    );
    const at = new Date().toISOString();
    let prev = '0'.repeat(64);
    db.sqlite.transaction(() => {
      for (let seq = 1; seq <= events; seq++) {
        const hash = sha256Hex(`bench event ${seq}`);
        insert.run(seq, `EV${seq}`, at, at, prev, hash);
        prev = hash;
      }
      db.sqlite
        .prepare(
          `INSERT INTO ledger_state (id, ledger_id, head_seq, head_hash, frontier) VALUES (1, 'bench', ?, ?, '[]')`,
        )
        .run(events, prev);
    })();
    let t0 = performance.now();
    rebuildTiles(db);
    const buildMs = ms(t0);
    const root = rootAt(db, events);
    const hashes = db.sqlite.prepare('SELECT hash FROM events WHERE seq = ?').pluck();

    const rnd = random(6962);
    const incl: number[] = [];
    const inclBare: number[] = [];
    for (let i = 0; i < samples; i++) {
      const index = Math.floor(rnd() * events);
      const leaf = leafHash(hashes.get(index + 1) as string);
      t0 = performance.now();
      const proof = inclusionProof(db, index, events);
      incl.push(ms(t0));
      t0 = performance.now();
      const ok = verifyInclusion(leaf, index, events, proof, root);
      inclBare.push(ms(t0));
      if (!ok) throw new Error(`bench: the inclusion proof of ${index} does not verify`);
    }
    const cons: number[] = [];
    const consBare: number[] = [];
    for (let i = 0; i < samples / 4; i++) {
      const from = 1 + Math.floor(rnd() * (events - 1));
      const rootFrom = rootAt(db, from);
      t0 = performance.now();
      const proof = consistencyProof(db, from, events);
      cons.push(ms(t0));
      t0 = performance.now();
      const ok = verifyConsistency(from, events, proof, rootFrom, root);
      consBare.push(ms(t0));
      if (!ok) throw new Error(`bench: the consistency proof from ${from} does not verify`);
    }
    const size = `${events.toLocaleString('en-US')} events`;
    return [
      {
        group: 'proofs',
        name: 'bare hashing of an inclusion path (verify)',
        value: mean(inclBare),
        unit: 'ms',
        ratio: null,
        detail: `${samples} random leaves of ${size}; tiles built in ${(buildMs / 1000).toFixed(1)} s`,
      },
      {
        group: 'proofs',
        name: 'inclusion proof from the tiles',
        value: mean(incl),
        unit: 'ms',
        ratio: mean(inclBare) / mean(incl),
        ceiling: 'bare hashing of an inclusion path (verify)',
        goal: '< 1 ms',
        p99Ms: p99(incl),
        detail: `p99 ${p99(incl).toFixed(3)} ms over ${samples} random leaves of ${size}`,
      },
      {
        group: 'proofs',
        name: 'bare hashing of a consistency path (verify)',
        value: mean(consBare),
        unit: 'ms',
        ratio: null,
      },
      {
        group: 'proofs',
        name: 'consistency proof from the tiles',
        value: mean(cons),
        unit: 'ms',
        ratio: mean(consBare) / mean(cons),
        ceiling: 'bare hashing of a consistency path (verify)',
        goal: '< 1 ms',
        p99Ms: p99(cons),
        detail: `p99 ${p99(cons).toFixed(3)} ms over ${samples / 4} random older sizes to ${size}`,
      },
    ];
  } finally {
    db.sqlite.close();
  }
}

// `npx tsx scripts/bench/proofs.ts [EVENTS]`: the proofs stage on its own (1,000,000 events by default).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-proofs-'));
  try {
    const metrics = proofsBench(dir, Number(process.argv[2] ?? 1_000_000));
    for (const m of metrics) {
      const ratio = m.ratio === null ? 'ceiling' : `${m.ratio.toFixed(2)}×`;
      console.log(
        `${m.name.padEnd(44)} ${m.value.toFixed(3).padStart(8)} ${m.unit}  ${ratio.padStart(7)}  ${m.goal ?? ''}`,
      );
      if (m.detail) console.log(`  ${m.detail}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
