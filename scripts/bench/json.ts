import { parseStrictJson } from '../../src/http/json-body';
import type { Metric } from './report';

/**
 * The I-JSON check on a large body, in this process: POST /labels/items.pdf's largest list (100,000
 * evidence numbers, 1.6 MB), read by parseStrictJson (UTF-8 decode, JSON.parse, the duplicate-member
 * and lone-surrogate scan) against the decode and JSON.parse alone, the least any JSON body costs.
 * Run many times over, so both sides are measured as optimised code in a long-lived service: the
 * scan once turned quadratic there (10–30 s a body, the event loop blocked) while its first runs
 * looked fine.
 */
export function jsonBench(passes = 40): Metric[] {
  const items = Array.from({ length: 100_000 }, (_, i) => `EV26${String(i).padStart(8, '0')}`);
  const body = Buffer.from(JSON.stringify({ items, format: '2x1', skipMissing: true }));
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const time = (f: () => unknown) => {
    const ms: number[] = [];
    for (let k = 0; k < passes; k++) {
      const t = performance.now();
      f();
      ms.push(performance.now() - t);
    }
    return ms.sort((a, b) => a - b);
  };
  const bare = () => JSON.parse(utf8.decode(body));
  const ours = () => parseStrictJson(body);
  time(bare);
  time(ours);
  // Alternate the two, so load that comes and goes weighs on both.
  const b: number[] = [];
  const o: number[] = [];
  for (let r = 0; r < 4; r++) {
    b.push(...time(bare));
    o.push(...time(ours));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const max = (xs: number[]) => Math.max(...xs);
  const mb = (body.length / 1e6).toFixed(1);
  return [
    {
      group: 'http',
      name: `JSON.parse of a ${mb} MB body (100,000 evidence numbers), decode included (ceiling)`,
      value: median(b),
      unit: 'ms',
      ratio: null,
      detail: `median of ${b.length} passes, slowest ${max(b).toFixed(1)} ms`,
    },
    {
      group: 'http',
      name: `parseStrictJson of the same body (I-JSON: duplicate members, lone surrogates)`,
      value: median(o),
      unit: 'ms',
      ratio: median(b) / median(o),
      ceiling: 'JSON.parse of the same body',
      goal: '≥ 0.3×',
      detail: `median of ${o.length} passes, slowest ${max(o).toFixed(1)} ms`,
    },
  ];
}
