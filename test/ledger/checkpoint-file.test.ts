import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { DAMAGE_KINDS, verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { custody, custodyEnv } from '../cli/spawn';
import { rewriteChain, seededLedger } from '../helpers/ledger';

/** 21 events (genesis + 20 cases) on a real file, checkpoints at 5, 10, 15, 20 and 21. */
function seeded() {
  const ctx = seededLedger();
  const file = `${ctx.db.path}.checkpoints`;
  return { ...ctx, file, lines: () => readFileSync(file, 'utf8').trimEnd().split('\n') };
}
type Seeded = ReturnType<typeof seeded>;

const verify = (ctx: Seeded) => verifyLedger(ctx.db, { projectors, projections: false });
const sizes = (ctx: Seeded) => ctx.lines().map((l) => (JSON.parse(l) as { treeSize: number }).treeSize);
const dropCheckpointTriggers = (ctx: Seeded) => {
  for (const t of ['checkpoints_no_delete', 'events_no_update']) ctx.db.sqlite.exec(`DROP TRIGGER ${t}`);
};

describe('the checkpoint file against the checkpoints table', () => {
  it('is intact as written', () => {
    const ctx = seeded();
    expect(sizes(ctx)).toEqual([5, 10, 15, 20, 21]);
    expect(verify(ctx)).toMatchObject({ ok: true, damage: [] });
  });

  it('reports a deleted line as checkpoint_missing_from_file, naming its size', () => {
    const ctx = seeded();
    const lines = ctx.lines();
    writeFileSync(ctx.file, `${[...lines.slice(0, 1), ...lines.slice(2)].join('\n')}\n`);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.damage).toEqual([expect.objectContaining({ kind: 'checkpoint_missing_from_file', seq: 10 })]);
  });

  it('reports an unreadable line with its line number', () => {
    const ctx = seeded();
    const lines = ctx.lines();
    lines[2] = lines[2]!.slice(0, 40);
    writeFileSync(ctx.file, `${lines.join('\n')}\n`);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.damage).toContainEqual(expect.objectContaining({ kind: 'checkpoint_line_unreadable', line: 3 }));
    expect(r.damage).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint_missing_from_file', seq: 15 }),
    );
  });

  it('reports a checkpoint row deleted from the database (triggers dropped)', () => {
    const ctx = seeded();
    dropCheckpointTriggers(ctx);
    ctx.db.sqlite.exec('DELETE FROM checkpoints WHERE tree_size = 15');
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.damage).toEqual([expect.objectContaining({ kind: 'checkpoint_missing_from_db', seq: 15 })]);
  });

  it('reports a deleted file as checkpoint_file_missing', () => {
    const ctx = seeded();
    rmSync(ctx.file);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.damage).toEqual([expect.objectContaining({ kind: 'checkpoint_file_missing', seq: 5 })]);
  });

  it('reports two different notes for one size as checkpoint_copies_differ', () => {
    const ctx = seeded();
    const lines = ctx.lines();
    lines[0] = lines[1]!.replace('"treeSize":10', '"treeSize":5');
    writeFileSync(ctx.file, `${lines.join('\n')}\n`);
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    expect(r.damage).toContainEqual(expect.objectContaining({ kind: 'checkpoint_copies_differ', seq: 5 }));
  });

  it('names the span of a chain rewritten consistently: the last checkpoint that holds, the first that fails', () => {
    const ctx = seeded();
    dropCheckpointTriggers(ctx);
    // Case 12 is seq 14: checkpoint 10 still holds, 15 is the first to fail.
    rewriteChain(ctx.db, (data) => data.replace('"Case 12"', '"Case 12 (amended)"'));
    const r = verify(ctx);
    expect(r.ok).toBe(false);
    const mismatches = r.damage.filter((d) => d.kind === 'checkpoint_mismatch');
    expect(mismatches).toEqual([
      expect.objectContaining({
        seq: 15,
        between: { from: 10, to: 15 },
        detail: expect.stringContaining('between seq 10'),
      }),
    ]);
  });

  it('restores the last line on the next start after a crash between the table and the file', () => {
    const ctx = seeded();
    const lines = ctx.lines();
    writeFileSync(ctx.file, `${lines.slice(0, -1).join('\n')}\n`);
    expect(verify(ctx).damage).toEqual([
      expect.objectContaining({ kind: 'checkpoint_missing_from_file', seq: 21 }),
    ]);
    createContext({ db: ctx.db, signer: ctx.signer, checkpointIntervalMs: 0 });
    expect(ctx.lines()).toEqual(lines);
    expect(verify(ctx).ok).toBe(true);
    // A file that is gone is not re-created: that is damage to report, not a crash to finish.
    rmSync(ctx.file);
    createContext({ db: ctx.db, signer: ctx.signer, checkpointIntervalMs: 0 });
    expect(existsSync(ctx.file)).toBe(false);
  });

  it('reports checkpoints removed from both copies as unsigned_tail, naming the range', () => {
    const ctx = seeded();
    dropCheckpointTriggers(ctx);
    // Every checkpoint after seq 5 gone from the table and the file alike: the copies agree.
    ctx.db.sqlite.exec('DELETE FROM checkpoints WHERE tree_size > 5');
    writeFileSync(ctx.file, `${ctx.lines()[0]}\n`);
    const limit = { unsignedLimit: 10 };
    const r = verifyLedger(ctx.db, { projectors, projections: false, ...limit });
    expect(r.ok).toBe(false);
    expect(r.damage).toEqual([
      expect.objectContaining({ kind: 'unsigned_tail', seq: 6, between: { from: 5, to: 21 } }),
    ]);
    // Fewer unsigned events than the service signs at is the normal state between two checkpoints.
    expect(verifyLedger(ctx.db, { projectors, projections: false, unsignedLimit: 17 }).ok).toBe(true);
    // With none left at all, the whole ledger is unsigned.
    ctx.db.sqlite.exec('DELETE FROM checkpoints');
    rmSync(ctx.file);
    const none = verifyLedger(ctx.db, { projectors, projections: false, ...limit });
    expect(none.damage).toEqual([expect.objectContaining({ kind: 'unsigned_tail', seq: 1 })]);
  });

  it('custody verify exits 1 naming the kind', async () => {
    const ctx = seeded();
    const lines = ctx.lines();
    writeFileSync(ctx.file, `${lines.slice(1).join('\n')}\n`);
    const r = await custody(
      custodyEnv(ctx.db.path, join(ctx.dir, 'unused.key')),
      'verify',
      '--no-projections',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('seq 5: checkpoint_missing_from_file');
  });
});

describe('docs/operations.md', () => {
  it('lists exactly the damage kinds the code reports, in its order', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### Damage kinds'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| kind |')));
    const listed = [...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual([...DAMAGE_KINDS]);
  });
});
