import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context';
import { openDb } from '../../src/db/open';
import { sha256 } from '../../src/ledger/hash';
import {
  consistencyProof,
  consistencyProofFrom,
  eventInclusion,
  inclusionProof,
  inclusionProofFrom,
  leafHash,
  leavesSource,
  rootAt,
  rootFrom,
} from '../../src/ledger/proofs';
import {
  forgetTiles,
  nodeCount,
  nodeSlot,
  rebuildTiles,
  TILE_WIDTH,
  tileNodes,
} from '../../src/ledger/tiles';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { makeLedger } from '../helpers/ledger';

const hashes = (n: number, salt = 0) =>
  Array.from({ length: n }, (_, i) => sha256(Buffer.from(`h${salt}/${i}`)));
/** The stored tiles, as text (deep equality over thousands of Buffers is slow). */
const tilesOf = (db: ReturnType<typeof makeLedger>['db']) =>
  (
    db.sqlite.prepare('SELECT * FROM merkle_tiles ORDER BY level, idx').all() as {
      level: number;
      idx: number;
      width: number;
      hashes: Buffer;
      nodes: Buffer;
    }[]
  ).map((t) => `${t.level}/${t.idx}/${t.width}/${t.hashes.toString('hex')}/${t.nodes.toString('hex')}`);

describe('a tile’s interior nodes', () => {
  it('hold every complete subtree of its hashes, at the slot nodeSlot names, growing by appending', () => {
    const all = hashes(TILE_WIDTH);
    const mem = leavesSource(all);
    const full = tileNodes(Buffer.concat(all), TILE_WIDTH);
    for (const width of [1, 2, 3, 7, 8, 100, 128, 129, 255, 256]) {
      const nodes = tileNodes(Buffer.concat(all.slice(0, width)), width);
      expect(nodes.length).toBe(nodeCount(width) * 32);
      // A tile that grows only appends: its nodes are a prefix of the full tile's.
      expect(full.subarray(0, nodes.length).equals(nodes)).toBe(true);
      for (let r = 1; 2 ** r <= width; r++) {
        for (let k = 0; (k + 1) * 2 ** r <= width; k++) {
          const at = nodeSlot(r, k) * 32;
          expect(
            nodes.subarray(at, at + 32).equals(mem.perfect(r, k)),
            `width ${width}, node ${r}/${k}`,
          ).toBe(true);
        }
      }
    }
    // The last node of a full tile is its root.
    expect(full.subarray(254 * 32).equals(mem.perfect(8, 0))).toBe(true);
  });
});

describe('tiles above level 1 (a ledger past 65,536 events)', () => {
  const ctx = makeLedger({ checkpointEvery: 10_000_000 });
  const { ledger, db } = ctx;
  const N = 256 * 256 + 256 * 3 + 41;
  ledger.writeNow((tx) => {
    for (let i = ledger.headSeq; i < N; i++) {
      tx.append({ type: 'note_added', entityType: 'test', entityId: 't', actor: 'system', data: { i } });
    }
  });
  const leaves = (db.sqlite.prepare('SELECT hash FROM events ORDER BY seq').pluck().all() as string[]).map(
    leafHash,
  );
  const mem = leavesSource(leaves);
  const sizes = [65_535, 65_536, 65_537, 65_536 + 255, 65_536 + 256, 65_536 + 700, N - 1, N];

  const indices = (size: number) => [0, 1, 255, 256, 40_000, 65_535, size - 1].filter((i) => i < size);
  const froms = (size: number) => [1, 255, 256, 257, 40_000, 65_535, 65_536, size].filter((f) => f <= size);
  /** Every root and proof at `sizes`, from the tiles (`db`) or from the tree in memory. */
  const proofsAt = (src: 'tiles' | 'memory') =>
    sizes.map((size) =>
      src === 'tiles'
        ? {
            root: rootAt(db, size).toString('hex'),
            inclusion: indices(size).map((i) => inclusionProof(db, i, size)),
            consistency: froms(size).map((f) => consistencyProof(db, f, size)),
          }
        : {
            root: rootFrom(mem, size).toString('hex'),
            inclusion: indices(size).map((i) => inclusionProofFrom(mem, i, size)),
            consistency: froms(size).map((f) => consistencyProofFrom(mem, f, size)),
          },
    );

  it('keeps a level-2 tile, every row with its interior nodes, as the append wrote them', () => {
    const widths = db.sqlite
      .prepare('SELECT level, count(*) AS n, max(width) AS w FROM merkle_tiles GROUP BY level ORDER BY level')
      .all();
    expect(widths).toEqual([
      { level: 0, n: 259, w: 256 },
      { level: 1, n: 2, w: 256 },
      { level: 2, n: 1, w: 1 },
    ]);
    for (const row of db.sqlite.prepare('SELECT width, nodes FROM merkle_tiles').all() as {
      width: number;
      nodes: Buffer;
    }[]) {
      expect(row.nodes.length).toBe(nodeCount(row.width) * 32);
    }
  });

  it('answers the proofs of the tree built in memory, and the same proofs after a rebuild', () => {
    const before = proofsAt('tiles');
    expect(before).toEqual(proofsAt('memory'));
    const rows = tilesOf(db);
    rebuildTiles(db);
    expect(tilesOf(db)).toEqual(rows);
    expect(proofsAt('tiles')).toEqual(before);
  });
});

describe('damaged interior nodes', () => {
  const ctx = makeLedger({ checkpointEvery: 10_000_000 });
  const { ledger, db } = ctx;
  const N = 256 * 5 + 77;
  ledger.writeNow((tx) => {
    for (let i = ledger.headSeq; i < N; i++) {
      tx.append({ type: 'note_added', entityType: 'test', entityId: 't', actor: 'system', data: { i } });
    }
  });
  const check = () => verifyLedger(db, { projectors, projections: false });
  const damage = (level: number, idx: number, byte: number) => {
    const nodes = Buffer.from(
      db.sqlite
        .prepare('SELECT nodes FROM merkle_tiles WHERE level = ? AND idx = ?')
        .pluck()
        .get(level, idx) as Buffer,
    );
    nodes[byte]! ^= 1;
    db.sqlite.prepare('UPDATE merkle_tiles SET nodes = ? WHERE level = ? AND idx = ?').run(nodes, level, idx);
    // Damage on disk reaches proofs once read: a process that read the tile before keeps its good copy.
    forgetTiles(db);
  };

  it('verify names each damaged tile; a proof through a damaged node is refused, never handed out', () => {
    const checkpoint = ledger.checkpoint();
    expect(check().ok).toBe(true);
    // Node (1, 0) of level-0 tile 3 (slot 0): the pair of leaves 768 and 769.
    damage(0, 3, 5);
    expect(check().damage).toEqual([
      {
        kind: 'tile_mismatch',
        seq: 769,
        detail: 'Merkle tile 0/3 has interior nodes that differ from the ones rebuilt from the events',
      },
    ]);
    // Leaf 770 (seq 771)'s path goes through that node: the service refuses rather than lie.
    expect(() => eventInclusion(db, 771, checkpoint)).toThrow(/disagree with the checkpoint/);
    expect(eventInclusion(db, 100, checkpoint).rootHash).toBe(checkpoint.rootHash);
    // The partial level-1 tile (5 entries): node (2, 0) over tiles 0…3.
    damage(1, 0, 32 * nodeSlot(2, 0) + 7);
    expect(check().damage.map((d) => [d.seq, d.detail])).toEqual([
      [1, 'Merkle tile 1/0 has interior nodes that differ from the ones rebuilt from the events'],
      [769, 'Merkle tile 0/3 has interior nodes that differ from the ones rebuilt from the events'],
    ]);
    expect(() => eventInclusion(db, 1300, checkpoint)).toThrow(/disagree with the checkpoint/);
    // Truncated nodes are refused when read.
    db.sqlite.prepare(`UPDATE merkle_tiles SET nodes = x'' WHERE level = 0 AND idx = 4`).run();
    forgetTiles(db);
    expect(() => inclusionProof(db, 4 * 256 + 3, N)).toThrow(/tile 0\/4 is damaged/);
    rebuildTiles(db);
    expect(check().ok).toBe(true);
    expect(eventInclusion(db, 771, checkpoint).rootHash).toBe(checkpoint.rootHash);
  });

  it('a ledger whose tiles were cleared (as the migration adding the nodes does) rebuilds them when it opens', () => {
    const rows = tilesOf(db);
    db.sqlite.prepare('DELETE FROM merkle_tiles').run();
    const again = openDb(join(ctx.dir, 'custody.db'));
    try {
      createContext({ db: again, signer: ctx.signer, checkpointIntervalMs: 0 });
      expect(tilesOf(again)).toEqual(rows);
    } finally {
      again.sqlite.close();
    }
  });
});

describe('a growing ledger', () => {
  it('proofs after more appends read the tiles again where the cached ones are too narrow', () => {
    const { ledger, db } = makeLedger({ checkpointEvery: 10_000_000 });
    const append = (n: number) =>
      ledger.writeNow((tx) => {
        for (let i = 0; i < n; i++) {
          tx.append({ type: 'note_added', entityType: 'test', entityId: 't', actor: 'system', data: { i } });
        }
      });
    const matchesMemory = () => {
      const size = ledger.headSeq;
      const leaves = (
        db.sqlite.prepare('SELECT hash FROM events ORDER BY seq').pluck().all() as string[]
      ).map(leafHash);
      const mem = leavesSource(leaves);
      expect(rootAt(db, size).toString('hex')).toBe(ledger.rootHash);
      for (const i of [0, 300, 700, size - 1]) {
        expect(inclusionProof(db, i, size)).toEqual(inclusionProofFrom(mem, i, size));
      }
      for (const from of [1, 300, 700, size - 1]) {
        expect(consistencyProof(db, from, size)).toEqual(consistencyProofFrom(mem, from, size));
      }
    };
    append(256 * 3 + 10); // tile 1/0 has 3 hashes, cached by these proofs
    matchesMemory();
    append(256 * 2 + 100); // now 5, and another partial level-0 tile
    matchesMemory();
  });
});
