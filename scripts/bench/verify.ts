import { fileURLToPath } from 'node:url';
import { spawnTs } from './load';
import type { Metric } from './report';

const CHILD = fileURLToPath(new URL('./verify-child.ts', import.meta.url));

export interface VerifyRun {
  ok: boolean;
  events: number;
  ms: number;
  peakRssMb: number;
}

export async function runVerifyChild(dbPath: string, mode: 'fast' | 'full' | 'bare'): Promise<VerifyRun> {
  const child = spawnTs(CHILD, [dbPath, mode]);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`verify child (${mode}) exited with ${code}`);
  return JSON.parse(out.trim()) as VerifyRun;
}

/** `verifyLedger` (fast: rehash stored bytes; full: re-canonicalise) against a bare rehash loop. */
export async function verifyBench(dbPath: string): Promise<Metric[]> {
  const bare = await runVerifyChild(dbPath, 'bare');
  const fast = await runVerifyChild(dbPath, 'fast');
  const full = await runVerifyChild(dbPath, 'full');
  const n = bare.events.toLocaleString('en-US');
  const row = (name: string, r: VerifyRun, goal?: string): Metric => ({
    group: 'verify',
    name,
    value: r.ms / 1000,
    unit: 's',
    // Time: the ratio is ceiling ÷ this, so 1× is as fast as the bare loop and lower is slower.
    ratio: r === bare ? null : bare.ms / r.ms,
    ceiling: 'bare SHA-256 loop',
    peakRssMb: r.peakRssMb,
    detail: `${r.ok ? 'intact' : 'DAMAGE REPORTED'}, ${r.events.toLocaleString('en-US')} events, ${(r.events / (r.ms / 1000)).toFixed(0)} events/s, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
    ...(goal ? { goal } : {}),
  });
  return [
    row(`bare SHA-256 over stored canonical text, ${n} events (ceiling)`, bare),
    row(
      `verifyLedger fast path (+ checkpoints, projection rebuild), ${n} events`,
      fast,
      '≈ 0.5–1×, flat RSS',
    ),
    row(`verifyLedger --full (re-canonicalise), ${n} events`, full, '≈ 0.25× (canonicalising costs ≈ 4×)'),
  ];
}
