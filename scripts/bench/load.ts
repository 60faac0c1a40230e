import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { ServerMode } from './http-server';

export interface BenchServer {
  url: string;
  token: string | undefined;
  stop(): Promise<void>;
}

const SERVER_FILE = fileURLToPath(new URL('./http-server.ts', import.meta.url));

/** Runs a TypeScript file in a child Node process through tsx. */
export function spawnTs(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
}

/** Starts a bench server (its files in a fresh folder under `dir`) and waits for its port. */
export async function startServer(mode: ServerMode, dir: string): Promise<BenchServer> {
  const child = spawnTs(SERVER_FILE, [mode, mkdtempSync(join(dir, `${mode}-`))]);
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token?: string };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fixed body, or one built per request (unique case numbers, random evidence numbers). */
  body?: string | (() => string);
  path?: string | (() => string);
  connections: number;
  durationSec: number;
}

/** autocannon against one endpoint: keep-alive, loopback, bounded by time. */
export async function load(o: LoadOptions): Promise<LoadResult> {
  const { body, path } = o;
  const dynamic = typeof body === 'function' || typeof path === 'function';
  const result = await autocannon({
    url: o.url,
    method: o.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...o.headers },
    connections: o.connections,
    duration: o.durationSec,
    ...(typeof body === 'string' ? { body } : {}),
    ...(typeof path === 'string' ? { url: o.url + path } : {}),
    ...(dynamic
      ? {
          requests: [
            {
              setupRequest: (req) => ({
                ...req,
                ...(typeof body === 'function' ? { body: body() } : {}),
                ...(typeof path === 'function' ? { path: path() } : {}),
              }),
            },
          ],
        }
      : {}),
  });
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export interface LatencyResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
}

/**
 * One keep-alive connection, one GET after another, each timed with sub-millisecond resolution
 * (autocannon's histogram counts whole milliseconds, too coarse for a lookup). Bounded by time.
 */
export async function timedGets(
  url: string,
  path: () => string,
  headers: Record<string, string>,
  durationSec: number,
): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  const get = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ agent, hostname, port, path: p, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const times: number[] = [];
  let non2xx = 0;
  const started = performance.now();
  const until = started + durationSec * 1000;
  while (performance.now() < until && times.length < 1_000_000) {
    const t = performance.now();
    const status = await get(path());
    times.push(performance.now() - t);
    if (status < 200 || status > 299) non2xx += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    reqPerSec: times.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    requests: times.length,
    non2xx,
  };
}
