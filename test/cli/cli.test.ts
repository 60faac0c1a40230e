import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openDb } from '../../src/db/open';
import { loadOrCreateSigner } from '../../src/ledger/signer';
import { auth, tempDir } from '../helpers/app';
import { caseBody } from '../helpers/factories';
import { PYTHON, runVerifier } from './python';
import { custody, custodyEnv, lastLine } from './spawn';

const dir = tempDir();
const dbPath = join(dir, 'data', 'custody.db');
const keyPath = join(dir, 'data', 'checkpoint.key');
const env = custodyEnv(dbPath, keyPath);

/** Raw SQL on the file, as an intruder with the sqlite3 shell would do it. */
function sql(statements: string, path = dbPath) {
  const db = new Database(path);
  try {
    db.exec(statements);
  } finally {
    db.close();
  }
}

function eventCount(path = dbPath): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Calls the API of an in-process app opened on the same file, then closes it. */
async function withApi<T>(fn: (http: ReturnType<typeof request>) => Promise<T>): Promise<T> {
  const db = openDb(dbPath);
  const app = createApp({ db, signer: loadOrCreateSigner(keyPath), checkpointIntervalMs: 0 });
  try {
    return await fn(request(app));
  } finally {
    await app.locals.ctx.ledger.close();
    db.sqlite.close();
  }
}

// One ledger, built up step by step: the tests of this file run in order.
describe('custody (the real command line on a real file)', () => {
  let clerkToken = '';

  it('migrate creates and migrates a fresh database path', async () => {
    const r = await custody(env, 'migrate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`migrated ${dbPath}`);
    const db = new Database(dbPath, { readonly: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
      name: string;
    }[];
    db.close();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['events', 'checkpoints', 'cases', 'users']),
    );
  });

  it('user add prints the new token alone as the last line, and the token works against the API', async () => {
    const r = await custody(env, 'user', 'add', 'aigul', '--role', 'clerk', '--name', 'Айгүл Қасымова');
    expect(r.code, r.stderr).toBe(0);
    clerkToken = lastLine(r.stdout);
    expect(clerkToken).toMatch(/^cdy_[A-Za-z0-9_-]{43}$/);
    expect(existsSync(keyPath)).toBe(true);
    await withApi(async (http) => {
      const res = await http
        .post('/api/v1/cases')
        .set(auth(clerkToken))
        .send(caseBody({ title: 'Ферма «Қуат»' }));
      expect(res.status).toBe(201);
      const list = await http.get('/api/v1/cases').set(auth(clerkToken));
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
    });
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare(`SELECT display_name, role FROM users WHERE username = 'aigul'`).get();
    db.close();
    expect(row).toEqual({ display_name: 'Айгүл Қасымова', role: 'clerk' });
  });

  it('user add refuses an unknown role and a taken username, writing nothing', async () => {
    const before = eventCount();
    const badRole = await custody(env, 'user', 'add', 'bob', '--role', 'sheriff');
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('sheriff');
    const taken = await custody(env, 'user', 'add', 'aigul', '--role', 'clerk');
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('username_taken');
    expect(eventCount()).toBe(before);
  });

  it('token issue prints another working token as the last line', async () => {
    const r = await custody(env, 'token', 'issue', 'aigul');
    expect(r.code, r.stderr).toBe(0);
    const token = lastLine(r.stdout);
    expect(token).toMatch(/^cdy_/);
    expect(token).not.toBe(clerkToken);
    await withApi(async (http) => {
      const res = await http.post('/api/v1/cases').set(auth(token)).send(caseBody());
      expect(res.status).toBe(201);
      expect((await http.get('/api/v1/cases').set(auth('cdy_not-a-token'))).status).toBe(401);
    });
    const unknown = await custody(env, 'token', 'issue', 'nobody');
    expect(unknown.code).not.toBe(0);
  });

  it('verify exits 0 on an intact ledger', async () => {
    const r = await custody(env, 'verify');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/intact: \d+ events/);
  });

  it('export --out writes the NDJSON, its checkpoint and the public key, and the offline verifier accepts them', async () => {
    const out = join(dir, 'ledger.ndjson');
    const r = await custody(env, 'export', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\n').slice(0, -1);
    const note = readFileSync(`${out}.checkpoint`, 'utf8');
    expect(note.split('\n')[1]).toBe(String(lines.length));
    expect(readFileSync(`${out}.pub.pem`, 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(
      expect.arrayContaining(['ledger_created', 'user_created', 'token_issued', 'case_opened']),
    );
    if (!PYTHON) return; // python3 with `cryptography` missing: reported once by ./python.ts
    const v = runVerifier([out, '--checkpoint', `${out}.checkpoint`, '--public-key', `${out}.pub.pem`]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`${lines.length} events`);
  });

  it('export without --out writes NDJSON to standard output', async () => {
    const r = await custody(env, 'export');
    expect(r.code, r.stderr).toBe(0);
    const first = JSON.parse(r.stdout.split('\n')[0]!) as { seq: number; type: string };
    expect(first).toMatchObject({ seq: 1, type: 'ledger_created' });
  });

  it('rebuild-projections --check exits 0, then 1 after a projection row is altered; a rebuild repairs it', async () => {
    expect((await custody(env, 'rebuild-projections', '--check')).code).toBe(0);
    sql(`UPDATE cases SET title = 'altered behind the ledger' WHERE rowid = 1`);
    const check = await custody(env, 'rebuild-projections', '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('table cases');
    const verify = await custody(env, 'verify');
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toContain('projection_mismatch');
    const rebuild = await custody(env, 'rebuild-projections');
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect((await custody(env, 'rebuild-projections', '--check')).code).toBe(0);
    expect((await custody(env, 'verify')).code).toBe(0);
  });

  it('backup FILE, taken while the database is open and written, gives a database that verifies', async () => {
    const copy = join(dir, 'copy.db');
    const r = await withApi(async (http) => {
      expect((await http.post('/api/v1/cases').set(auth(clerkToken)).send(caseBody())).status).toBe(201);
      return custody(env, 'backup', copy);
    });
    expect(r.code, r.stderr).toBe(0);
    const v = await custody(custodyEnv(copy, keyPath), 'verify');
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain(`${eventCount()} events`);
    // The plain checkpoint file travels with the backup, so its side of the check is not lost.
    expect(existsSync(`${copy}.checkpoints`)).toBe(true);
    expect(readFileSync(`${copy}.checkpoints`, 'utf8').trim().split('\n').length).toBeGreaterThan(0);
  });

  it('verify on a path with no database says so and creates nothing', async () => {
    const nowhere = join(dir, 'nowhere', 'custody.db');
    const r = await custody(custodyEnv(nowhere, keyPath), 'verify');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('there is no database at');
    expect(existsSync(nowhere)).toBe(false);
  });

  it('refuses to work on an existing ledger whose key file is missing, and mints no new key', async () => {
    const missing = join(dir, 'no-such.key');
    const r = await custody(custodyEnv(dbPath, missing), 'token', 'issue', 'aigul');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/CUSTODY_KEY.*does not exist/);
    expect(existsSync(missing)).toBe(false);
  });

  it('verify exits non-zero naming the first bad seq after one byte of an event was changed', async () => {
    sql(`
      DROP TRIGGER events_no_update;
      UPDATE events SET data = replace(data, 'Ферма', 'Фырма') WHERE type = 'case_opened';`);
    const db = new Database(dbPath, { readonly: true });
    const { seq } = db.prepare(`SELECT min(seq) AS seq FROM events WHERE type = 'case_opened'`).get() as {
      seq: number;
    };
    db.close();
    const r = await custody(env, 'verify');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`FIRST BAD SEQ: ${seq} (hash_mismatch)`);
  });
});
