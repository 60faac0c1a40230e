import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type AppContext, createContext } from '../../src/context';
import { type Db, openDb } from '../../src/db/open';
import { generateSigner, type Signer } from '../../src/ledger/signer';
import { tempDir } from './app';

/** A ledger on a fresh SQLite file in a temp dir (no HTTP). */
export function makeLedger(
  options: { signer?: Signer; checkpointEvery?: number } = {},
): AppContext & { dir: string; signer: Signer } {
  const dir = tempDir();
  const db: Db = openDb(join(dir, 'custody.db'));
  const signer = options.signer ?? generateSigner();
  const ctx = createContext({
    db,
    signer,
    checkpointIntervalMs: 0,
    ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
  });
  afterAll(() => {
    if (db.sqlite.open) db.sqlite.close();
  });
  return { ...ctx, dir, signer };
}
