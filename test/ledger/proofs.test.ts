import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ledger/hash';
import { CompactRange } from '../../src/ledger/merkle';
import {
  consistencyProof,
  consistencyProofFrom,
  formatTlogProof,
  inclusionProof,
  inclusionProofFrom,
  leafHash,
  leavesSource,
  parseTlogProof,
  rootAt,
  rootFrom,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/proofs';
import { rebuildTiles } from '../../src/ledger/tiles';
import { verifyLedger } from '../../src/ledger/verify';
import { projectors } from '../../src/modules/projectors';
import { makeLedger } from '../helpers/ledger';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'merkle');
const b64 = (s: string) => Buffer.from(s, 'base64');
const hex = (s: string) => Buffer.from(s, 'hex');

interface InclusionProbe {
  file: string;
  leafIdx: number;
  treeSize: number;
  root: string | null;
  leafHash: string | null;
  proof: string[] | null;
  wantErr: boolean;
}
interface ConsistencyProbe {
  file: string;
  size1: number;
  size2: number;
  root1: string | null;
  root2: string | null;
  proof: string[] | null;
  wantErr: boolean;
}
const vectors = JSON.parse(readFileSync(join(FIXTURES, 'transparency-dev-vectors.json'), 'utf8')) as {
  inclusion: InclusionProbe[];
  consistency: ConsistencyProbe[];
};
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference-tree.json'), 'utf8')) as {
  leafInputs: string[];
  leafHashes: string[];
  roots: string[];
  inclusion: { index: number; size: number; proof: string[] }[];
  consistency: { from: number; to: number; proof: string[] }[];
};

describe('RFC 6962 verification against the transparency-dev/merkle probes', () => {
  it.each(vectors.inclusion.map((v) => [v.file, v] as const))('inclusion %s', (_file, v) => {
    const ok = verifyInclusion(
      b64(v.leafHash ?? ''),
      v.leafIdx,
      v.treeSize,
      (v.proof ?? []).map(b64),
      b64(v.root ?? ''),
    );
    expect(ok).toBe(!v.wantErr);
  });

  // Stricter than the Go reference: roots must be 32 bytes even where the proof is empty.
  const STRICTER = new Set(['testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json']);
  it.each(vectors.consistency.map((v) => [v.file, v] as const))('consistency %s', (file, v) => {
    const ok = verifyConsistency(
      v.size1,
      v.size2,
      (v.proof ?? []).map(b64),
      b64(v.root1 ?? ''),
      b64(v.root2 ?? ''),
    );
    expect(ok).toBe(!v.wantErr && !STRICTER.has(file));
  });
});

describe('proof generation against the reference tree of 8 leaves', () => {
  const leaves = reference.leafInputs.map((h) => sha256(Buffer.concat([Buffer.from([0]), hex(h)])));
  const src = leavesSource(leaves);

  it('hashes the leaves and every root as the reference does', () => {
    expect(leaves.map((l) => l.toString('hex'))).toEqual(reference.leafHashes);
    for (let n = 0; n <= 8; n++)
      expect(rootFrom(src, n).toString('hex'), `root ${n}`).toBe(reference.roots[n]);
  });

  it.each(reference.inclusion)('inclusion of $index in $size', ({ index, size, proof }) => {
    const got = inclusionProofFrom(src, index, size);
    expect(got.map((h) => h.toString('hex'))).toEqual(proof);
    expect(verifyInclusion(leaves[index]!, index, size, got, hex(reference.roots[size]!))).toBe(true);
  });

  it.each(reference.consistency)('consistency from $from to $to', ({ from, to, proof }) => {
    const got = consistencyProofFrom(src, from, to);
    expect(got.map((h) => h.toString('hex'))).toEqual(proof);
    expect(verifyConsistency(from, to, got, hex(reference.roots[from]!), hex(reference.roots[to]!))).toBe(
      true,
    );
  });
});

/** Leaves of a random tree, and its root by the compact range (an independent path to the root). */
function randomTree(n: number, seed: number) {
  const leaves = Array.from({ length: n }, (_, i) => sha256(Buffer.from(`leaf ${seed} ${i}`)));
  const range = new CompactRange();
  for (const l of leaves) range.appendLeaf(l);
  return { leaves, src: leavesSource(leaves), root: range.root() };
}

function flipBit(proof: Buffer[], at: number): Buffer[] {
  const copy = proof.map((b) => Buffer.from(b));
  const byte = Math.floor(at / 8) % (copy.length * 32);
  copy[Math.floor(byte / 32)]![byte % 32]! ^= 1 << (at % 8);
  return copy;
}

describe('forged inclusion proofs fail', () => {
  const { leaves, src, root } = randomTree(1000, 1);
  const index = 421;
  const proof = inclusionProofFrom(src, index, 1000);
  const leaf = leaves[index]!;

  it('the honest proof verifies', () => {
    expect(verifyInclusion(leaf, index, 1000, proof, root)).toBe(true);
  });
  it('refuses a wrong index, and the same proof for the neighbouring leaf', () => {
    expect(verifyInclusion(leaf, index + 1, 1000, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, index - 1, 1000, proof, root)).toBe(false);
    expect(verifyInclusion(leaves[index + 1]!, index, 1000, proof, root)).toBe(false);
  });
  it('refuses a leaf from another position presented at this index', () => {
    for (const other of [0, 420, 422, 999]) {
      expect(verifyInclusion(leaves[other]!, index, 1000, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[other]!, other, 1000, proof, root)).toBe(false);
    }
  });
  it('refuses swapped siblings', () => {
    for (let i = 0; i + 1 < proof.length; i++) {
      const swapped = [...proof];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      expect(verifyInclusion(leaf, index, 1000, swapped, root)).toBe(false);
    }
  });
  it('refuses a truncated or extended path', () => {
    expect(verifyInclusion(leaf, index, 1000, proof.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(leaf, index, 1000, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaf, index, 1000, [...proof, root], root)).toBe(false);
    expect(verifyInclusion(leaf, index, 1000, [leaf, ...proof], root)).toBe(false);
  });
  it('refuses a proof made for another tree size, each size checked with its own root (GHSA-672p-m5jq-mrh8)', () => {
    for (const size of [600, 999, 1001, 512, 1024]) {
      const other = randomTree(size, 1); // the same leaves, as far as they go
      expect(other.leaves[index]!.equals(leaf)).toBe(true);
      const own = inclusionProofFrom(other.src, index, size);
      expect(verifyInclusion(leaf, index, size, own, other.root)).toBe(true);
      // The 1000-tree's proof against this size and root, and this size's proof against the 1000-tree.
      expect(verifyInclusion(leaf, index, size, proof, other.root)).toBe(false);
      expect(verifyInclusion(leaf, index, 1000, own, root)).toBe(false);
      // A size that does not match the root the proof was made for.
      expect(verifyInclusion(leaf, index, size, own, root)).toBe(false);
    }
  });
  it('refuses an interior node posing as an event hash (the 0x00 leaf prefix)', () => {
    // Level-1 nodes of a 1000-leaf tree form a 500-leaf tree with the same root; the leaf prefix
    // keeps an interior node from being proven as if it were an event's hash.
    const parent = src.perfect(1, Math.floor(index / 2));
    const posing = leafHash(parent.toString('hex'));
    expect(verifyInclusion(posing, Math.floor(index / 2), 500, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(parent, Math.floor(index / 2), 500, proof.slice(1), root)).toBe(true); // why the prefix matters
  });
  it('refuses hashes of the wrong length', () => {
    expect(verifyInclusion(leaf.subarray(0, 31), index, 1000, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, index, 1000, [proof[0]!.subarray(1), ...proof.slice(1)], root)).toBe(false);
  });
});

describe('forged consistency proofs fail', () => {
  const { src, root } = randomTree(1000, 2);
  const root300 = rootFrom(src, 300);
  const proof = consistencyProofFrom(src, 300, 1000);
  it('the honest proof verifies', () => {
    expect(verifyConsistency(300, 1000, proof, root300, root)).toBe(true);
  });
  it('refuses other sizes, swapped roots, swapped or missing nodes', () => {
    expect(verifyConsistency(301, 1000, proof, root300, root)).toBe(false);
    expect(verifyConsistency(300, 999, proof, root300, rootFrom(src, 999))).toBe(false);
    expect(verifyConsistency(300, 999, consistencyProofFrom(src, 300, 999), root300, root)).toBe(false);
    expect(verifyConsistency(300, 1000, proof, root, root300)).toBe(false);
    expect(verifyConsistency(300, 1000, proof.slice(0, -1), root300, root)).toBe(false);
    expect(verifyConsistency(300, 1000, [...proof, root], root300, root)).toBe(false);
    const swapped = [...proof];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(verifyConsistency(300, 1000, swapped, root300, root)).toBe(false);
    expect(verifyConsistency(1000, 300, proof, root, root300)).toBe(false);
    expect(verifyConsistency(0, 1000, proof, root300, root)).toBe(false);
  });
});

describe('properties (fast-check)', () => {
  it('every generated inclusion proof verifies, and any single-bit change fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (n, rawIndex, seed, bit) => {
          const { leaves, src, root } = randomTree(n, seed % 1000);
          const index = rawIndex % n;
          const proof = inclusionProofFrom(src, index, n);
          expect(verifyInclusion(leaves[index]!, index, n, proof, root)).toBe(true);
          if (proof.length > 0) {
            expect(verifyInclusion(leaves[index]!, index, n, flipBit(proof, bit), root)).toBe(false);
          }
          const leafFlipped = flipBit([leaves[index]!], bit)[0]!;
          expect(verifyInclusion(leafFlipped, index, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[index]!, index, n, proof, flipBit([root], bit)[0]!)).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every generated consistency proof verifies, and any single-bit change fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.nat(), fc.nat(), fc.nat(), (n, rawFrom, seed, bit) => {
        const { src, root } = randomTree(n, seed % 1000);
        const from = (rawFrom % n) + 1;
        const rootFromHash = rootFrom(src, from);
        const proof = consistencyProofFrom(src, from, n);
        expect(verifyConsistency(from, n, proof, rootFromHash, root)).toBe(true);
        if (proof.length > 0) {
          expect(verifyConsistency(from, n, flipBit(proof, bit), rootFromHash, root)).toBe(false);
        }
        expect(verifyConsistency(from, n, proof, flipBit([rootFromHash], bit)[0]!, root)).toBe(false);
        expect(verifyConsistency(from, n, proof, rootFromHash, flipBit([root], bit)[0]!)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

describe('C2SP tlog-proof', () => {
  const note = 'origin\n3\nAAAA\n\n— origin abc=\n';
  const proof = [sha256(Buffer.from('a')), sha256(Buffer.from('b'))];
  it('formats and parses back', () => {
    const text = formatTlogProof({ index: 7, proof, checkpointNote: note, extra: Buffer.from('{"seq":8}') });
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nextra eyJzZXEiOjh9\nindex 7\n')).toBe(true);
    expect(text.endsWith(`\n\n${note}`)).toBe(true);
    const back = parseTlogProof(text);
    expect(back.index).toBe(7);
    expect(back.proof).toEqual(proof);
    expect(back.checkpointNote).toBe(note);
    expect(back.extra?.toString()).toBe('{"seq":8}');
    expect(
      parseTlogProof(formatTlogProof({ index: 0, proof: [], checkpointNote: note })).extra,
    ).toBeUndefined();
  });
  it('refuses malformed proofs', () => {
    const good = formatTlogProof({ index: 7, proof, checkpointNote: note });
    for (const bad of [
      good.replace('@v1', '@v2'),
      good.replace('index 7', 'index 07'),
      good.replace('index 7', 'index -7'),
      good.replace(proof[0]!.toString('base64'), proof[0]!.toString('base64').slice(4)),
      good.replace(proof[0]!.toString('base64'), `${proof[0]!.toString('base64').slice(0, -2)}x=`),
      good.replace('\n\norigin', '\norigin'),
      good.slice(0, good.indexOf('\n\n') + 2),
    ]) {
      expect(() => parseTlogProof(bad), bad).toThrow();
    }
  });
});

describe('proofs from the ledger’s tiles', () => {
  const ctx = makeLedger({ checkpointEvery: 1_000_000 });
  const { ledger, db } = ctx;
  // 256·3 + 2·256·… enough for level-0 tiles, a partial level-1 tile and a partial level-0 tile.
  const N = 256 * 5 + 77;
  ledger.writeNow((tx) => {
    for (let i = ledger.headSeq; i < N; i++) {
      tx.append({ type: 'note_added', entityType: 'test', entityId: `t${i}`, actor: 'system', data: { i } });
    }
  });
  // Signed at the head, as the service would within a minute (verify reports a long unsigned tail).
  ledger.checkpoint();
  const hashes = db.sqlite.prepare('SELECT hash FROM events ORDER BY seq').pluck().all() as string[];
  const leaves = hashes.map(leafHash);
  const mem = leavesSource(leaves);

  it('stores full level-0 tiles and a partial level-1 tile', () => {
    const tiles = db.sqlite.prepare('SELECT level, idx, width FROM merkle_tiles ORDER BY level, idx').all();
    expect(tiles).toEqual([
      ...[0, 1, 2, 3, 4].map((idx) => ({ level: 0, idx, width: 256 })),
      { level: 1, idx: 0, width: 5 },
    ]);
  });

  it('answers the same proofs and roots as the tree built in memory, at every kind of size', () => {
    for (const size of [1, 2, 255, 256, 257, 511, 512, 513, 1024, 1280, N - 1, N]) {
      expect(rootAt(db, size).equals(rootFrom(mem, size)), `root ${size}`).toBe(true);
      for (const index of [0, size - 1, Math.floor(size / 2), Math.min(size - 1, 300)]) {
        expect(inclusionProof(db, index, size)).toEqual(inclusionProofFrom(mem, index, size));
      }
      for (const from of [1, Math.max(1, size - 1), Math.ceil(size / 3), Math.min(size, 256)]) {
        expect(consistencyProof(db, from, size)).toEqual(consistencyProofFrom(mem, from, size));
      }
    }
    expect(rootAt(db, N).toString('hex')).toBe(ledger.rootHash);
  });

  it('refuses sizes beyond the ledger and seq beyond the tree with domain errors', () => {
    expect(() => rootAt(db, N + 1)).toThrow(expect.objectContaining({ code: 'tree_size_beyond_ledger' }));
    expect(() => inclusionProof(db, 10, 10)).toThrow(
      expect.objectContaining({ code: 'seq_beyond_tree_size' }),
    );
    expect(() => consistencyProof(db, 11, 10)).toThrow(
      expect.objectContaining({ code: 'invalid_tree_sizes' }),
    );
    expect(() => consistencyProof(db, 0, 10)).toThrow(
      expect.objectContaining({ code: 'invalid_tree_sizes' }),
    );
  });

  it('rebuilds the same tiles from the events, and verify reports a damaged tile', () => {
    const before = db.sqlite.prepare('SELECT * FROM merkle_tiles ORDER BY level, idx').all();
    rebuildTiles(db);
    expect(db.sqlite.prepare('SELECT * FROM merkle_tiles ORDER BY level, idx').all()).toEqual(before);
    expect(verifyLedger(db, { projectors, projections: false }).ok).toBe(true);

    const blob = Buffer.from(
      db.sqlite
        .prepare('SELECT hashes FROM merkle_tiles WHERE level = 0 AND idx = 2')
        .pluck()
        .get() as Buffer,
    );
    blob[40]! ^= 1;
    db.sqlite.prepare('UPDATE merkle_tiles SET hashes = ? WHERE level = 0 AND idx = 2').run(blob);
    const damaged = verifyLedger(db, { projectors, projections: false });
    expect(damaged.ok).toBe(false);
    expect(damaged.firstBad).toMatchObject({ kind: 'tile_mismatch', seq: 513 });

    db.sqlite.prepare('DELETE FROM merkle_tiles WHERE level = 1').run();
    expect(verifyLedger(db, { projectors, projections: false }).damage.map((d) => d.kind)).toEqual([
      'tile_mismatch',
      'tile_mismatch',
      'tile_mismatch',
    ]);
    rebuildTiles(db);
    expect(verifyLedger(db, { projectors, projections: false }).ok).toBe(true);
  });
});
