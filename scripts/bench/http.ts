import type { ServerMode } from './http-server';
import { type LoadResult, load, startServer } from './load';
import type { Metric } from './report';

export interface HttpOptions {
  dir: string;
  connections: number;
  durationSec: number;
}

const caseBody = (n: number) =>
  JSON.stringify({
    number: `BENCH-${n}/2022`,
    title: 'Illegal mining farm, Ekibastuz (Екібастұз), 1,240 ASIC miners',
    legalBasis: 'Criminal Code art. 214 (illegal business activity), art. 245 (tax evasion)',
    agency: 'Financial Monitoring Agency',
    openedOn: '2022-03-01',
  });

async function underLoad(
  mode: ServerMode,
  o: HttpOptions,
  path: string,
  body: string | (() => string),
): Promise<LoadResult> {
  const server = await startServer(mode, o.dir);
  try {
    const headers: Record<string, string> = server.token ? { authorization: `Bearer ${server.token}` } : {};
    const run = (durationSec: number) =>
      load({ url: server.url, path, headers, body, connections: o.connections, durationSec });
    await run(Math.min(1, o.durationSec)); // warm-up: JIT, connection set-up, first pages of the file
    return await run(o.durationSec);
  } finally {
    await server.stop();
  }
}

/**
 * The append path through HTTP: a bare Express echo is the ceiling; one durable transaction per
 * request and bare group commit show what batching buys; POST /api/v1/cases is the real thing.
 */
export async function httpBench(o: HttpOptions): Promise<Metric[]> {
  let n = 0;
  const body = () => caseBody(++n);
  const echo = await underLoad('echo', o, '/echo', caseBody(0));
  const tx = await underLoad('tx', o, '/echo', caseBody(0));
  const group = await underLoad('group', o, '/echo', caseBody(0));
  const cases = await underLoad('app', o, '/api/v1/cases', body);
  const row = (name: string, r: LoadResult, goal?: string): Metric => ({
    group: 'http',
    name,
    value: r.reqPerSec,
    unit: 'req/s',
    ratio: echo.reqPerSec > 0 ? r.reqPerSec / echo.reqPerSec : null,
    ceiling: 'echo',
    detail: `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors`,
    p99Ms: r.p99Ms,
    ...(goal ? { goal } : {}),
  });
  return [
    row('bare Express 5 echo POST (ceiling)', echo),
    row('echo + one durable transaction per request', tx, '≈ 0.5× (fsync per request)'),
    row('echo + bare group commit', group, '≈ 1×'),
    row('POST /api/v1/cases, real app, group commit', cases, 'near 1× (the append goal)'),
  ];
}
