import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { rewriteChain, seededLedger } from '../helpers/ledger';

const seeded = (n = 20) => seededLedger(n);

const dropTriggers = (ctx: ReturnType<typeof seeded>) => {
  for (const t of [
    'events_no_update',
    'events_no_delete',
    'checkpoints_no_update',
    'checkpoints_no_delete',
  ]) {
    ctx.db.sqlite.exec(`DROP TRIGGER ${t}`);
  }
};
const verify = (ctx: ReturnType<typeof seeded>) => verifyLedger(ctx.db, { projectors });

describe('verify', () => {
  it('passes an intact ledger and checks every checkpoint and projection', () => {
    const ctx = seeded();
    const r = verify(ctx);
    expect(r).toMatchObject({ ok: true, events: 21, firstBad: null, projectionsChecked: true });
    expect(r.checkpointsChecked).toBeGreaterThanOrEqual(4);
    expect(r.headHash).toBe(ctx.ledger.headHash);
    expect(r.rootHash).toBe(ctx.ledger.rootHash);
  });

  it('names the seq when one byte of an event’s data changed', () => {
    const ctx = seeded();
    dropTriggers(ctx);
    ctx.db.sqlite.exec(`UPDATE events SET data = replace(data, 'Case 7', 'Case 8') WHERE seq = 9`);
    expect(verify(ctx).firstBad).toMatchObject({ kind: 'hash_mismatch', seq: 9 });
  });

  it('finds a deleted row', () => {
    const ctx = seeded();
    dropTriggers(ctx);
    ctx.db.sqlite.exec('DELETE FROM events WHERE seq = 12');
    expect(verify(ctx).firstBad).toMatchObject({ kind: 'seq_gap', seq: 12 });
  });

  it('finds two rows swapped', () => {
    const ctx = seeded();
    dropTriggers(ctx);
    ctx.db.sqlite.exec(`
      UPDATE events SET seq = -1 WHERE seq = 5;
      UPDATE events SET seq = 5 WHERE seq = 6;
      UPDATE events SET seq = 6 WHERE seq = -1;`);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.seq).toBe(5);
  });

  it('finds a tail truncated behind the last checkpoint', () => {
    const ctx = seeded();
    dropTriggers(ctx);
    ctx.db.sqlite.exec('DELETE FROM events WHERE seq > 18');
    ctx.db.sqlite.exec(
      'UPDATE ledger_state SET head_seq = 18, head_hash = (SELECT hash FROM events WHERE seq = 18)',
    );
    expect(verify(ctx).firstBad).toMatchObject({ kind: 'truncated', seq: 19 });
  });

  it('finds a chain rewritten consistently whose checkpoints were not re-signed', async () => {
    const ctx = seeded();
    dropTriggers(ctx);
    // Rewrite history: change case 3's title, then recompute every hash and link after it.
    rewriteChain(ctx.db, (data) => data.replace('"Case 3"', '"Case 3 (amended)"'));
    ctx.db.sqlite.exec(`UPDATE cases SET title = 'Case 3 (amended)' WHERE number = 'C-3'`);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.kind).toBe('checkpoint_mismatch');
    // Even with the checkpoints table emptied, the plain checkpoint file still remembers.
    ctx.db.sqlite.exec('DELETE FROM checkpoints');
    expect(verify(ctx).firstBad?.kind).toBe('checkpoint_mismatch');
  });

  it('finds a projection changed behind the ledger’s back', () => {
    const ctx = seeded();
    ctx.db.sqlite.exec(`UPDATE cases SET status = 'closed' WHERE number = 'C-4'`);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.firstBad).toMatchObject({ kind: 'projection_mismatch' });
    expect(r.firstBad?.detail).toContain('cases');
  });

  it('refuses a forged checkpoint line in the checkpoint file', () => {
    const ctx = seeded();
    const cp = ctx.ledger.latestCheckpoint()!;
    const forged = cp.note.replace(/^(.*\n\d+\n)[^\n]+/, `$1${Buffer.alloc(32, 7).toString('base64')}`);
    appendFileSync(
      `${ctx.db.path}.checkpoints`,
      `${JSON.stringify({ treeSize: 3, note: forged.replace(`\n${cp.treeSize}\n`, '\n3\n') })}\n`,
    );
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.firstBad).toMatchObject({ kind: 'checkpoint_invalid', seq: 3 });
  });
});
