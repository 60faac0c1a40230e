import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { deployedService } from './deployed';
import { api, BENCH_SEIZURE, benchCase } from './items';
import type { BenchServer } from './load';

/**
 * The service as a deployment runs it: built, then `node dist/server.js` (what `npm start` execs),
 * configured only by the environment a deployment sets, its own logger at the level given (`info`
 * is the default) writing JSON lines to stdout — here a file, as a log collector would take them —
 * and real bearer-token auth. Nothing is switched off for the bench.
 */
export interface BenchService extends BenchServer {
  /** Request log lines the service wrote (counted after it stopped). */
  logLines(): number;
  /** An item that accepts notes, registered by the bench's clerk. */
  evidenceNo: string;
  /** The service's process (for its memory, read from /proc). */
  pid: number;
}

interface Prepared {
  token: string;
  evidenceNo: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function untilUp(url: string, log: string, exited: () => boolean): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`the service exited: ${readFileSync(log, 'utf8').slice(-2000)}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end)
      throw new Error(`the service did not start: ${readFileSync(log, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const prepared = new Map<string, Prepared>();

/**
 * Starts the service on `dir`'s database (one database per `dir`, reused by later starts). On the
 * first start the admin token it prints creates a clerk, and the clerk a case, a seizure and an item.
 */
export async function startService(dir: string, logLevel: 'info' | 'silent'): Promise<BenchService> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = join(dir, `service-${logLevel}-${port}.log`);
  const fd = openSync(logFile, 'w');
  const deployed = deployedService();
  const child = spawn(deployed.command, deployed.args, {
    cwd: deployed.cwd,
    env: {
      ...process.env,
      CUSTODY_DB: join(dir, 'custody.db'),
      CUSTODY_KEY: join(dir, 'checkpoint.key'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: logLevel,
    },
    stdio: ['ignore', fd, 'inherit'],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await untilUp(url, logFile, () => child.exitCode !== null || child.signalCode !== null);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    let p = prepared.get(dir);
    if (!p) {
      p = await prepare(url, logFile);
      prepared.set(dir, p);
    }
    return {
      url,
      token: p.token,
      evidenceNo: p.evidenceNo,
      pid: child.pid ?? 0,
      stop,
      logLines: () => readFileSync(logFile, 'utf8').split('"msg":"request completed"').length - 1,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function prepare(url: string, logFile: string): Promise<Prepared> {
  const admin = /^\s+(cdy_\S+)$/m.exec(readFileSync(logFile, 'utf8'))?.[1];
  if (!admin) throw new Error('the first start printed no admin token');
  const as = (token: string) => ({ url, token });
  const must = <T>(what: string, r: { status: number; body: T }) => {
    if (r.status !== 201) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  };
  const clerk = must(
    'POST /users',
    await api<{ id: string }>(as(admin), 'POST', '/users', { username: 'bench', role: 'clerk' }),
  );
  const { token } = must(
    'POST /users/:id/tokens',
    await api<{ token: string }>(as(admin), 'POST', `/users/${clerk.id}/tokens`, {}),
  );
  const kase = must(
    'POST /cases',
    await api<{ id: string }>(as(token), 'POST', '/cases', benchCase('BENCH-NOTES/2022')),
  );
  const seizure = must(
    'POST /cases/:id/seizures',
    await api<{ id: string }>(as(token), 'POST', `/cases/${kase.id}/seizures`, BENCH_SEIZURE),
  );
  const item = must(
    'POST /items',
    await api<{ evidenceNo: string }>(as(token), 'POST', '/items', {
      caseId: kase.id,
      seizureId: seizure.id,
      category: 'asic_miner',
      make: 'Bitmain',
      model: 'Antminer S19 Pro',
      serialNumber: 'BENCH-NOTES-1',
      sealNo: 'KZ-FMA 0000001',
    }),
  );
  return { token, evidenceNo: item.evidenceNo };
}
