import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedArgs } from '../../scripts/bench/deployed';
import { ROOT } from '../cli/python';
import { custody, custodyEnv } from '../cli/spawn';
import { tempDir } from '../helpers/app';
import { alive, type Started, startService } from './serve';

/**
 * SIGTERM/SIGINT stop the service cleanly however it is started: `npm start` (npm, which builds and
 * then execs the built server) and the systemd unit's `node dist/server.js` after `npm run build`.
 * Each run writes while the signal arrives, then checks that the server process is gone, its port
 * is free, every acknowledged write is in the ledger, a last checkpoint was signed at the head, and
 * `custody verify` passes.
 */

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates users (the first start's admin may) until the service goes away; returns those acknowledged. */
async function writeUntilGone(s: Started, onFirstAck: () => void): Promise<string[]> {
  const acked: string[] = [];
  let first = true;
  const client = async (c: number) => {
    for (let i = 0; i < 200; i++) {
      const number = `clerk-${c}-${i}`;
      try {
        const res = await fetch(`${s.base}/users`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: number, role: 'clerk' }),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`POST /users answered ${res.status}`);
        acked.push(number);
        if (first) {
          first = false;
          onFirstAck();
        }
      } catch (err) {
        if (first) throw err;
        return; // refused or cut: the service is stopping
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(client));
  return acked;
}

/** The server process's command line (Linux /proc), to check that what runs is the built JavaScript. */
function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a !== '');
}

describe('stopping the service', () => {
  beforeAll(() => {
    // `npm run build`, as a deployment does before its first start (npm start builds by itself).
    const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
  });

  it.each([
    { name: 'npm start', cmd: 'npm', args: ['start'], signal: 'SIGTERM' },
    // The systemd unit's command (docs/operations.md): node itself receives systemd's signal.
    { name: 'node dist/server.js', cmd: process.execPath, args: deployedArgs(), signal: 'SIGINT' },
  ] as const)(
    '$name, then $signal: the server exits, the port is free, the ledger verifies',
    async ({ cmd, args, signal }) => {
      const dir = tempDir();
      const dbPath = join(dir, 'custody.db');
      const env = custodyEnv(dbPath, join(dir, 'checkpoint.key'), { PORT: '0', LOG_LEVEL: 'info' });
      const s = await startService(cmd, [...args], env);
      // Whichever way it was started, the process listening is node running the build, not tsx.
      const argv = commandLine(s.serverPid);
      expect(argv.slice(1), argv.join(' ')).toEqual(deployedArgs());
      expect(deployedArgs().at(-1)).toBe('dist/server.js');
      const acked = await writeUntilGone(s, () => s.child.kill(signal));

      await until('the server process has exited', () => !alive(s.serverPid)).catch((e: Error) => {
        throw new Error(`${e.message}: ${s.output()}`);
      });
      await until(
        'the started process has exited',
        () => s.child.exitCode !== null || s.child.signalCode !== null,
      );
      expect(await portFree(s.port)).toBe(true);

      const stopped = s
        .output()
        .split('\n')
        .find((l) => l.includes('"msg":"stopped'));
      expect(stopped, s.output()).toBeDefined();
      const { seq } = JSON.parse(stopped!) as { seq: number };

      const db = new Database(dbPath, { readonly: true });
      try {
        const head = (db.prepare('SELECT head_seq FROM ledger_state').get() as { head_seq: number }).head_seq;
        expect(head).toBe(seq);
        const numbers = new Set(
          (db.prepare('SELECT username FROM users').all() as { username: string }[]).map((r) => r.username),
        );
        expect(acked.length).toBeGreaterThan(0);
        for (const n of acked) expect(numbers.has(n), `acknowledged ${n} is in the ledger`).toBe(true);
      } finally {
        db.close();
      }
      const lines = readFileSync(`${dbPath}.checkpoints`, 'utf8').trim().split('\n');
      expect((JSON.parse(lines.at(-1)!) as { treeSize: number }).treeSize).toBe(seq);

      const verify = await custody(custodyEnv(dbPath, join(dir, 'checkpoint.key')), 'verify');
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    },
  );
});
