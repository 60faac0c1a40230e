import { existsSync } from 'node:fs';
import type { Db } from './db/open';
import { type Clock, Ledger, type LedgerOptions } from './ledger/ledger';
import { loadOrCreateSigner, type Signer } from './ledger/signer';
import { projectors } from './modules/projectors';

/** What every route and command works with: the database, its one writer, and the clock. */
export interface AppContext {
  db: Db;
  ledger: Ledger;
  clock: Clock;
}

export interface ContextOptions {
  db: Db;
  signer: Signer;
  clock?: Clock;
  checkpointFile?: string | null;
  checkpointIntervalMs?: number;
  checkpointEvery?: number;
}

export function createContext(options: ContextOptions): AppContext {
  const clock = options.clock ?? (() => new Date());
  const ledgerOptions: LedgerOptions = { clock, signer: options.signer, projectors };
  if (options.checkpointFile !== undefined) ledgerOptions.checkpointFile = options.checkpointFile;
  if (options.checkpointIntervalMs !== undefined)
    ledgerOptions.checkpointIntervalMs = options.checkpointIntervalMs;
  if (options.checkpointEvery !== undefined) ledgerOptions.checkpointEvery = options.checkpointEvery;
  return { db: options.db, ledger: new Ledger(options.db, ledgerOptions), clock };
}

/**
 * The checkpoint key for this database. A new ledger gets a new key (created 0600); an existing
 * ledger names its key in its first event, so a missing key file is refused rather than replaced
 * by a fresh key that could never sign for it.
 */
export function signerFor(db: Db, keyPath: string): Signer {
  const hasLedger = db.sqlite.prepare('SELECT 1 FROM ledger_state').get() !== undefined;
  if (hasLedger && !existsSync(keyPath)) {
    throw new Error(
      `the checkpoint key ${keyPath} (CUSTODY_KEY) does not exist, but the ledger in ${db.path} ` +
        'was created with a key; restore the original key file',
    );
  }
  return loadOrCreateSigner(keyPath);
}
