import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/app';

/** The real server, as `npm start` runs it, on a fresh directory: first start, second start, wrong key. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir();
const dbPath = join(dir, 'data', 'custody.db');
const keyPath = join(dir, 'keys', 'checkpoint.key');
const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  base: string;
  stdout: () => string;
  stop: () => Promise<number | null>;
}

function spawnServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return { child, exited, out: () => out, err: () => err };
}

/** Starts the server and waits for its `Custody Ledger: http://127.0.0.1:<port>/…` line. */
async function start(env: Record<string, string>): Promise<Started> {
  const s = spawnServer(env);
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start line in 30 s:\n${s.out()}\n${s.err()}`)),
      30_000,
    );
    s.child.stdout!.on('data', () => {
      const m = /Custody Ledger: (http:\/\/127\.0\.0\.1:\d+)\//.exec(s.out());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void s.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${s.out()}\n${s.err()}`));
    });
  });
  return {
    child: s.child,
    base,
    stdout: s.out,
    stop: () => {
      s.child.kill('SIGTERM');
      return s.exited;
    },
  };
}

const env = { CUSTODY_DB: dbPath, CUSTODY_KEY: keyPath };
let adminToken = '';

describe('first start of the real server', () => {
  it('prints a one-time admin token that works, creates the key 0600, serves /health and /docs', async () => {
    const server = await start(env);
    const tokens = server.stdout().match(/cdy_[A-Za-z0-9_-]{43,}/g) ?? [];
    expect(tokens).toHaveLength(1);
    adminToken = tokens[0]!;

    const me = await fetch(`${server.base}/api/v1/users/me`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'admin', role: 'admin', disabled: false });

    expect(statSync(keyPath).mode & 0o777).toBe(0o600);

    const health = await fetch(`${server.base}/api/v1/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; ledger: { seq: number } };
    expect(body.status).toBe('ok');
    expect(body.ledger.seq).toBeGreaterThanOrEqual(3); // ledger_created, user_created, token_issued

    const docs = await fetch(`${server.base}/docs/`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toContain('swagger-ui');

    expect(await server.stop()).toBe(0);

    // Logs are pino JSON lines on stdout: one per request, with its id, status and user, never a token.
    const logs = server
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; req?: { id: string; url: string }; res?: object });
    const meLog = logs.find((l) => l.req?.url === '/api/v1/users/me');
    expect(meLog).toMatchObject({ req: { id: expect.any(String) }, res: { statusCode: 200 } });
    expect(meLog).toHaveProperty('user', expect.stringMatching(/^usr_/));
    expect(server.stdout().split(adminToken)).toHaveLength(2); // the first-start banner only
    expect(server.stdout()).not.toMatch(/authorization/i);
  });

  it('prints no token on a second start, and the first token still works', async () => {
    const server = await start(env);
    expect(server.stdout()).not.toMatch(/cdy_/);
    const me = await fetch(`${server.base}/api/v1/users/me`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(me.status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it('refuses to start when the ledger’s key file is missing, and does not mint a new one', async () => {
    const missing = join(dir, 'missing.key');
    const s = spawnServer({ ...env, CUSTODY_KEY: missing });
    expect(await s.exited).toBe(1);
    expect(s.err()).toMatch(/^custody: cannot start: .*CUSTODY_KEY.*does not exist/);
    expect(s.err()).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(missing)).toBe(false);
    expect(s.out()).not.toMatch(/Custody Ledger: http/);
  });

  it('refuses to start with a checkpoint key other than the ledger’s own', async () => {
    const other = join(dir, 'other.key');
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(other, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const s = spawnServer({ ...env, CUSTODY_KEY: other });
    expect(await s.exited).toBe(1);
    expect(s.err()).toMatch(
      /^custody: cannot start: .*CUSTODY_KEY.*not the key this ledger was created with/,
    );
    expect(s.err()).not.toMatch(/\n\s+at /);
    expect(s.out()).not.toMatch(/Custody Ledger: http/);
  });
});
