import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/python';
import { custody, custodyEnv } from '../cli/spawn';
import { tempDir } from '../helpers/app';

/**
 * SIGTERM/SIGINT stop the service cleanly however it was started: `npm start` (npm, then the
 * server) and tsx's own command. Each run writes while the signal arrives, then checks that the
 * server process is gone, its port is free, every acknowledged write is in the ledger, a last
 * checkpoint was signed at the head, and `custody verify` passes.
 */

const running = new Set<ChildProcess>();
const serverPids = new Set<number>();
afterAll(() => {
  // A failed run must not leave a server behind: npm's child too, not only npm.
  for (const child of running) child.kill('SIGKILL');
  for (const pid of serverPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

interface Started {
  child: ChildProcess;
  base: string;
  port: number;
  token: string;
  serverPid: number;
  output: () => string;
}

async function start(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start: ${out}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /Custody Ledger: http:\/\/127\.0\.0\.1:(\d+)\/api\/v1\/health/.exec(out);
      const token = /^\s+(cdy_\S+)$/m.exec(out);
      const pid = /"pid":(\d+).*"msg":"Custody Ledger listening/.exec(out);
      if (url && token && pid) {
        clearTimeout(timer);
        const port = Number(url[1]);
        serverPids.add(Number(pid[1]));
        resolve({
          child,
          port,
          base: `http://127.0.0.1:${port}/api/v1`,
          token: token[1]!,
          serverPid: Number(pid[1]),
          output: () => out,
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}) before listening: ${out}`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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

describe('stopping the service', () => {
  it.each([
    { name: 'npm start', cmd: 'npm', args: ['start'], signal: 'SIGTERM' },
    // The systemd unit's command. (The tsx CLI relays a signal with a 30 ms deadline and then
    // SIGKILLs its child: a busy server is cut before it signs its last checkpoint — docs/operations.md.)
    {
      name: 'node --import tsx src/server.ts',
      cmd: process.execPath,
      args: ['--import', 'tsx', 'src/server.ts'],
      signal: 'SIGINT',
    },
  ] as const)(
    '$name, then $signal: the server exits, the port is free, the ledger verifies',
    async ({ cmd, args, signal }) => {
      const dir = tempDir();
      const dbPath = join(dir, 'custody.db');
      const env = custodyEnv(dbPath, join(dir, 'checkpoint.key'), { PORT: '0', LOG_LEVEL: 'info' });
      const s = await start(cmd, [...args], env);
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
