import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/python';
import { custody, custodyEnv, lastLine } from '../cli/spawn';
import { tempDir } from '../helpers/app';

const dir = tempDir();
const env = custodyEnv(join(dir, 'custody.db'), join(dir, 'checkpoint.key'), {
  PORT: '0',
  HOST: '127.0.0.1',
});
const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the real server on the test's file; resolves with its base URL once it listens. */
async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Custody Ledger: (http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/health/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}/api/v1`);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out} ${err}`)));
  });
  return { child, base };
}

const CLIENTS = 8;
const MAX_PER_CLIENT = 400;
const KILL_AFTER = 150;

/**
 * Several clients post cases as fast as they can; after KILL_AFTER acknowledgements the server gets
 * SIGKILL mid-stream. Returns the case numbers that were acknowledged with a 2xx.
 */
async function postUntilKilled(base: string, child: ChildProcess, token: string, round: number) {
  const acked: string[] = [];
  let killed = false;
  const client = async (c: number) => {
    for (let i = 0; i < MAX_PER_CLIENT; i++) {
      const number = `K9-${round}-${c}-${i}`;
      let res: Response;
      try {
        res = await fetch(`${base}/cases`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            number,
            title: `Farm ${c}/${i}`,
            legalBasis: 'Criminal Code art. 214',
            agency: 'AFM',
            openedOn: '2026-03-01',
          }),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
      } catch {
        return; // the server is gone
      }
      if (res.status >= 200 && res.status < 300) acked.push(number);
      else throw new Error(`unexpected ${res.status} for ${number}`);
      if (!killed && acked.length >= KILL_AFTER) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  return { acked, killed };
}

describe('kill -9 of the real server while clients write', () => {
  it('keeps every acknowledged case, and the ledger verifies after restarts', async () => {
    const added = await custody(env, 'user', 'add', 'clerk', '--role', 'clerk');
    expect(added.code, added.stderr).toBe(0);
    const token = lastLine(added.stdout);

    const allAcked: string[] = [];
    for (const round of [1, 2]) {
      const { child, base } = await startServer();
      const { acked, killed } = await postUntilKilled(base, child, token, round);
      expect(killed).toBe(true);
      expect(child.signalCode).toBe('SIGKILL');
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      allAcked.push(...acked);
    }

    const { child, base } = await startServer();
    const missing: string[] = [];
    for (const number of allAcked) {
      const res = await fetch(`${base}/cases?number=${encodeURIComponent(number)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { items: { number: string }[] };
      if (res.status !== 200 || body.items.length !== 1) missing.push(number);
    }
    expect(missing).toEqual([]);
    const verifyApi = await fetch(`${base}/ledger/verify`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await verifyApi.json()) as { ok: boolean }).ok).toBe(true);
    child.kill('SIGTERM');
    await once(child, 'exit');

    const verified = await custody(env, 'verify');
    expect(verified.code, verified.stderr).toBe(0);
  });
});
