import type { Db } from './db/open';
import { type Clock, Ledger, type LedgerOptions } from './ledger/ledger';
import type { Signer } from './ledger/signer';
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
