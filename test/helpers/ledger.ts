import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type AppContext, createContext } from '../../src/context';
import { type Db, openDb } from '../../src/db/open';
import { type EventRow, hashedTextOf } from '../../src/ledger/events-read';
import { sha256Hex } from '../../src/ledger/hash';
import { generateSigner, type Signer } from '../../src/ledger/signer';
import { openCase } from '../../src/modules/cases/cases.service';
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

/** A ledger of `n` opened cases (seq 2 … n+1 after the genesis), with a checkpoint at its head. */
export function seededLedger(n = 20, checkpointEvery = 5) {
  const ctx = makeLedger({ checkpointEvery });
  for (let i = 0; i < n; i++) {
    ctx.ledger.writeNow((tx) =>
      openCase(
        tx,
        {
          number: `C-${i}`,
          title: `Case ${i}`,
          legalBasis: 'art. 214',
          agency: 'AFM',
          openedOn: '2022-03-01',
        },
        'usr_test',
      ),
    );
  }
  ctx.ledger.checkpoint();
  return ctx;
}

/**
 * Rewrites history as an intruder without the key would (the events' triggers dropped first):
 * `edit` each row's data, then recompute every hash and link, and the stored head.
 */
export function rewriteChain(db: Db, edit: (data: string) => string): void {
  const rows = db.sqlite.prepare('SELECT * FROM events ORDER BY seq').all() as EventRow[];
  let prev = '0'.repeat(64);
  const update = db.sqlite.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const data = edit(row.data);
    const hash = sha256Hex(hashedTextOf({ ...row, data, prev_hash: prev }));
    update.run(data, prev, hash, row.seq);
    prev = hash;
  }
  db.sqlite.prepare('UPDATE ledger_state SET head_hash = ?').run(prev);
}
