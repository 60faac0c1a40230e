import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import { loadOrCreateSigner } from '../../src/ledger/signer';
import { setDisabled } from '../../src/modules/users/users.service';
import { tempDir } from '../helpers/app';
import { custody, custodyEnv, lastLine } from './spawn';

const dir = tempDir();
const dbPath = join(dir, 'custody.db');
const keyPath = join(dir, 'checkpoint.key');
const env = custodyEnv(dbPath, keyPath);

function sql<T>(query: string, ...args: unknown[]): T {
  const db = new Database(dbPath);
  try {
    return db.prepare(query).get(...args) as T;
  } finally {
    db.close();
  }
}
/** Disables a user through the ledger, as an admin's POST /users/{id}/disable does. */
async function disable(username: string) {
  const db = openDb(dbPath);
  const ctx = createContext({ db, signer: loadOrCreateSigner(keyPath), checkpointIntervalMs: 0 });
  ctx.ledger.writeNow((tx) => setDisabled(tx, username, true, 'system'));
  await ctx.ledger.close();
  db.sqlite.close();
}
const head = () => sql<{ n: number }>('SELECT count(*) AS n FROM events').n;

// The tests run in order on one file: a user disabled, refused a token, enabled, made admin.
describe('custody user enable / user role / token issue (recovery from the shell)', () => {
  it('token issue for a disabled user says so and exits non-zero, writing nothing', async () => {
    expect((await custody(env, 'user', 'add', 'root', '--role', 'admin')).code).toBe(0);
    expect((await custody(env, 'user', 'add', 'aigerim', '--role', 'clerk')).code).toBe(0);
    await disable('aigerim');
    const before = head();
    const r = await custody(env, 'token', 'issue', 'aigerim');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/user_disabled.*aigerim.*disabled/);
    expect(r.stdout).not.toMatch(/cdy_/);
    expect(head()).toBe(before);
  });

  it('user enable lets the user in again; token issue then works', async () => {
    const en = await custody(env, 'user', 'enable', 'aigerim');
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain('aigerim is enabled');
    const tok = await custody(env, 'token', 'issue', 'aigerim');
    expect(tok.code, tok.stderr).toBe(0);
    expect(lastLine(tok.stdout)).toMatch(/^cdy_/);
  });

  it('user role makes someone admin; an unknown role or the last admin’s demotion is refused', async () => {
    const up = await custody(env, 'user', 'role', 'aigerim', 'admin');
    expect(up.code, up.stderr).toBe(0);
    expect(sql<{ role: string }>("SELECT role FROM users WHERE username = 'aigerim'").role).toBe('admin');
    const before = head();
    const bad = await custody(env, 'user', 'role', 'aigerim', 'wizard');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('not a role');
    expect((await custody(env, 'user', 'role', 'root', 'auditor')).code).toBe(0);
    const last = await custody(env, 'user', 'role', 'aigerim', 'clerk');
    expect(last.code).not.toBe(0);
    expect(last.stderr).toContain('last_admin');
    expect(head()).toBe(before + 1);
    expect((await custody(env, 'verify')).code).toBe(0);
  });
});
