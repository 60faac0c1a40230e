import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT } from '../cli/python';
import { type Exit, runNode } from '../cli/spawn';

/** The service as a process: how it was started, where it listens, the first start's admin token. */
export interface Started {
  child: ChildProcess;
  base: string;
  port: number;
  token: string;
  /** The server's own pid (from its log line; under `npm start` not the started process's). */
  serverPid: number;
  output: () => string;
}

const running = new Set<ChildProcess>();
const serverPids = new Set<number>();
afterAll(() => {
  // A failed run must not leave a server behind: npm's child too, not only npm.
  for (const child of running) child.kill('SIGKILL');
  for (const pid of serverPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the service by `command` (LOG_LEVEL=info, PORT=0 in `env`) on a fresh database and waits
 * until it listens and has printed the first start's admin token.
 */
export function startService(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): Promise<Started> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/**
 * A fresh folder for a build, inside the project (a bundle's packages are found in the project's
 * node_modules), removed after the file's tests. Call it while the tests are collected (not in a
 * hook), like tempDir().
 */
export function buildOutdir(): string {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const outdir = mkdtempSync(join(ROOT, 'tmp', 'build-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  return outdir;
}

/** `node scripts/build.mjs --outdir OUTDIR` (plain node, no tsx), as `npm run build` runs it. */
export function buildInto(outdir: string): Promise<Exit> {
  return runNode([join(ROOT, 'scripts', 'build.mjs'), '--outdir', outdir]);
}
