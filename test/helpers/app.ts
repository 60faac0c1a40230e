import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import request from 'supertest';
import { afterAll } from 'vitest';
import { type App, createApp } from '../../src/app';
import { openDb } from '../../src/db/open';
import type { Clock } from '../../src/ledger/ledger';
import { generateSigner, type Signer } from '../../src/ledger/signer';
import { ROLES, type Role } from '../../src/modules/users/roles';
import * as users from '../../src/modules/users/users.service';

/** A fresh temp directory, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custody-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestApp {
  app: App;
  http: ReturnType<typeof request>;
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
  signer: Signer;
  dbPath: string;
  /** The ledger head seq, for "nothing was written" assertions. */
  head(): number;
  /** Sets the clock the app sees (tests that need a fixed "now"). */
  setNow(date: Date): void;
}

/** A real app on a real, migrated SQLite file, with one user and token per role. */
export function makeTestApp(options: { clock?: Clock; logger?: Logger } = {}): TestApp {
  const dir = tempDir();
  const dbPath = join(dir, 'custody.db');
  const db = openDb(dbPath);
  const signer = generateSigner();
  let now: Date | null = null;
  const clock: Clock = options.clock ?? (() => now ?? new Date());
  const app = createApp({
    db,
    signer,
    clock,
    checkpointIntervalMs: 0,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { ledger } = app.locals.ctx;
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  ledger.writeNow((tx) => {
    for (const role of ROLES) {
      const u = users.createUser(tx, { username: `${role}1`, displayName: `Test ${role}`, role }, 'system');
      userIds[role] = u.id;
      tokens[role] = users.issueToken(tx, u.id, 'system').token;
    }
  });
  afterAll(async () => {
    await ledger.close();
    db.sqlite.close();
  });
  return {
    app,
    http: request(app),
    tokens,
    userIds,
    signer,
    dbPath,
    head: () => ledger.headSeq,
    setNow: (d) => {
      now = d;
    },
  };
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
