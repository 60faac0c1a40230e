import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open';
import { canonicalJson } from '../../src/ledger/canonical';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { sha256Hex, ZERO_HASH } from '../../src/ledger/hash';
import { Ledger } from '../../src/ledger/ledger';
import { generateSigner } from '../../src/ledger/signer';
import { AppError } from '../../src/lib/errors';
import { projectors } from '../../src/modules/projectors';
import { makeLedger } from '../helpers/ledger';

const note = (i: number) => ({
  type: 'test_note',
  entityType: 'test',
  entityId: `t${i}`,
  actor: 'usr_test',
  data: { i },
});

describe('append', () => {
  it('starts the chain with ledger_created naming the ledger id, format version and checkpoint key', () => {
    const { db, ledger, signer } = makeLedger();
    const row = db.sqlite.prepare('SELECT * FROM events WHERE seq = 1').get() as Record<string, string>;
    expect(row.type).toBe('ledger_created');
    expect(row.prev_hash).toBe(ZERO_HASH);
    const data = JSON.parse(row.data!);
    expect(data).toMatchObject({ ledgerId: ledger.ledgerId, formatVersion: 1 });
    expect(data.checkpointKey.publicKey).toBe(signer.publicKeyRaw.toString('base64'));
  });

  it('hashes each event over its canonical JSON without hash, chained by prevHash', () => {
    const { db, ledger } = makeLedger();
    ledger.writeNow((tx) => {
      tx.append(note(1));
      tx.append({ ...note(2), occurredAt: '2022-03-14T09:30:00+05:00' });
    });
    const rows = db.sqlite.prepare('SELECT * FROM events ORDER BY seq').all() as Record<
      string,
      string | number
    >[];
    let prev = ZERO_HASH;
    for (const r of rows) {
      const { hash, ...rest } = {
        seq: r.seq,
        type: r.type,
        entityType: r.entity_type,
        entityId: r.entity_id,
        occurredAt: r.occurred_at,
        recordedAt: r.recorded_at,
        actor: r.actor,
        data: JSON.parse(r.data as string),
        prevHash: r.prev_hash,
        hash: r.hash,
      };
      expect(rest.prevHash).toBe(prev);
      expect(sha256Hex(canonicalJson(rest))).toBe(hash);
      expect(rest.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      prev = hash as string;
    }
    expect(rows.at(-1)!.occurred_at).toBe('2022-03-14T09:30:00+05:00');
  });

  it('writes nothing when the unit of work throws', () => {
    const { ledger } = makeLedger();
    const before = ledger.headSeq;
    expect(() =>
      ledger.writeNow((tx) => {
        tx.append(note(1));
        throw new AppError('conflict', 'refused');
      }),
    ).toThrow('refused');
    expect(ledger.headSeq).toBe(before);
    ledger.writeNow((tx) => tx.append(note(2)));
    expect(ledger.headSeq).toBe(before + 1);
  });

  it('group-commits concurrent writes; a refused one does not take its batch down', async () => {
    const { db, ledger } = makeLedger();
    const before = ledger.headSeq;
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        ledger.write((tx) => {
          tx.append(note(i));
          if (i % 7 === 3) throw new AppError('conflict', `refused ${i}`);
          return i;
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(50 - 7);
    expect(ledger.headSeq).toBe(before + ok);
    const count = (db.sqlite.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    expect(count).toBe(ledger.headSeq);
    const ids = db.sqlite.prepare("SELECT entity_id FROM events WHERE type = 'test_note'").all() as {
      entity_id: string;
    }[];
    expect(ids.map((r) => r.entity_id)).not.toContain('t3');
  });

  it('signs a checkpoint every N events, as a C2SP note the public key verifies', () => {
    const { db, ledger, signer } = makeLedger({ checkpointEvery: 10 });
    ledger.writeNow((tx) => {
      for (let i = 0; i < 12; i++) tx.append(note(i));
    });
    const cp = ledger.latestCheckpoint()!;
    expect(cp.treeSize).toBe(ledger.headSeq);
    expect(cp.rootHash).toBe(ledger.rootHash);
    const opened = openCheckpoint(cp.note, signer.publicKey, signer.publicKeyRaw);
    expect(opened.ok).toBe(true);
    const tampered = cp.note.replace(`\n${cp.treeSize}\n`, `\n${cp.treeSize + 1}\n`);
    expect(openCheckpoint(tampered, signer.publicKey, signer.publicKeyRaw).ok).toBe(false);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM checkpoints').get()).toEqual({ n: 1 });
  });

  it('continues the chain after another process appended to the same file', () => {
    const { db, ledger, signer } = makeLedger();
    const other = new Ledger(db, { signer, projectors, checkpointIntervalMs: 0 });
    other.writeNow((tx) => tx.append(note(1)));
    ledger.writeNow((tx) => tx.append(note(2)));
    expect(ledger.headSeq).toBe(3);
  });

  it('sees what another connection (the CLI beside the service) appended and signed, before its own next append', () => {
    const { db, ledger, signer } = makeLedger();
    expect(ledger.headSeq).toBe(1);
    const cli = openDb(db.path);
    const other = new Ledger(cli, { signer, projectors, checkpointIntervalMs: 0 });
    other.writeNow((tx) => tx.append(note(1)));
    const signed = other.checkpoint();
    cli.sqlite.close();
    expect(ledger.headSeq).toBe(2);
    expect(ledger.headHash).toBe(signed.headHash);
    expect(ledger.rootHash).toBe(signed.rootHash);
    expect(ledger.latestCheckpoint()).toMatchObject({ treeSize: 2, note: signed.note });
  });

  it('refuses to run with a checkpoint key other than the one the chain names', () => {
    const { db } = makeLedger();
    expect(() => new Ledger(db, { signer: generateSigner(), projectors, checkpointIntervalMs: 0 })).toThrow(
      /key/,
    );
  });
});

describe('append-only triggers', () => {
  it('refuse UPDATE and DELETE on events and checkpoints, issued as raw SQL on another connection', () => {
    const { db, ledger } = makeLedger();
    ledger.checkpoint();
    const raw = new Database(db.path);
    expect(() => raw.prepare("UPDATE events SET data = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => raw.prepare("UPDATE checkpoints SET note = ''").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM checkpoints').run()).toThrow(/append-only/);
    raw.close();
  });
});
