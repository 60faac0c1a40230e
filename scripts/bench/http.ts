import { join } from 'node:path';
import type { ServerMode } from './http-server';
import { type BenchServer, type LoadResult, load, startServer } from './load';
import type { Metric } from './report';
import { type BenchService, startService } from './service';

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

const NOTE = JSON.stringify({
  type: 'note',
  text: 'Seal KZ-FMA 0000001 checked on the shelf: intact (пломба цела)',
});

async function underLoad<S extends BenchServer>(
  start: S | ServerMode,
  o: HttpOptions,
  path: string | ((server: S) => string),
  body: string | (() => string),
  after?: (server: S, result: LoadResult) => void,
): Promise<LoadResult> {
  const server = (typeof start === 'string' ? await startServer(start, o.dir) : start) as S;
  try {
    const headers: Record<string, string> = server.token ? { authorization: `Bearer ${server.token}` } : {};
    const at = typeof path === 'function' ? path(server) : path;
    const run = (durationSec: number) =>
      load({ url: server.url, path: at, headers, body, connections: o.connections, durationSec });
    await run(Math.min(1, o.durationSec)); // warm-up: JIT, connection set-up, first pages of the file
    const result = await run(o.durationSec);
    await server.stop();
    after?.(server, result);
    return result;
  } finally {
    await server.stop();
  }
}

/**
 * The append path through HTTP: a bare Express echo is the ceiling; one durable transaction per
 * request and bare group commit show what batching buys. The real thing is the service as a
 * deployment runs it (built, dist/server.js, its logger at the default LOG_LEVEL=info, bearer tokens):
 * custody `note` events posted on one item — the warehouse's real load — and POST /cases; the
 * same note run at LOG_LEVEL=silent shows what the request log costs.
 */
export async function httpBench(o: HttpOptions): Promise<Metric[]> {
  let n = 0;
  const body = () => caseBody(++n);
  const echo = await underLoad('echo', o, '/echo', caseBody(0));
  const tx = await underLoad('tx', o, '/echo', caseBody(0));
  const group = await underLoad('group', o, '/echo', caseBody(0));
  const serviceDir = join(o.dir, 'service');
  const notePath = (s: BenchService) => `/api/v1/items/${s.evidenceNo}/events`;
  const logged: string[] = [];
  const countLines = (s: BenchService, r: LoadResult) => {
    logged.push(
      `${s.logLines().toLocaleString('en-US')} request log lines for ${r.requests.toLocaleString('en-US')} measured requests (and the warm-up)`,
    );
  };
  const note = await underLoad(await startService(serviceDir, 'info'), o, notePath, NOTE, countLines);
  const silent = await underLoad(await startService(serviceDir, 'silent'), o, notePath, NOTE);
  const cases = await underLoad(await startService(serviceDir, 'info'), o, '/api/v1/cases', body, countLines);
  const row = (name: string, r: LoadResult, goal?: string, extra?: string): Metric => ({
    group: 'http',
    name,
    value: r.reqPerSec,
    unit: 'req/s',
    ratio: echo.reqPerSec > 0 ? r.reqPerSec / echo.reqPerSec : null,
    ceiling: 'echo',
    detail: `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors${extra ? `; ${extra}` : ''}`,
    p99Ms: r.p99Ms,
    ...(goal ? { goal } : {}),
  });
  return [
    row('bare Express 5 echo POST (ceiling)', echo),
    row('echo + one durable transaction per request', tx, '≈ 0.5× (fsync per request)'),
    row('echo + bare group commit', group, '≈ 1×'),
    row('POST /items/:no/events (note, one item), the service, LOG_LEVEL=info', note, '≥ 0.6×', logged[0]),
    row('the same note POST, LOG_LEVEL=silent', silent, 'what the log costs'),
    row('POST /api/v1/cases, the service, LOG_LEVEL=info', cases, 'near 1× (the append goal)', logged[1]),
  ];
}
