import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactRange, leafHash, nodeHash } from '../../src/ledger/merkle';

/** RFC 6962 §2.1 MTH, written recursively as the RFC states it. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const hex = (i: number) => createHash('sha256').update(String(i)).digest('hex');

describe('compact range (RFC 6962 Merkle tree)', () => {
  it('matches the recursive MTH for every size up to 70', () => {
    const range = new CompactRange();
    const leaves: Buffer[] = [];
    expect(range.root().equals(mth([]))).toBe(true);
    for (let i = 0; i < 70; i++) {
      range.appendEventHash(hex(i));
      leaves.push(leafHash(hex(i)));
      expect(range.root().toString('hex')).toBe(mth(leaves).toString('hex'));
      expect(range.frontier.length).toBe(range.size.toString(2).replace(/0/g, '').length);
    }
  });

  it('survives a JSON round trip of its frontier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        const a = new CompactRange();
        for (let i = 0; i < n; i++) a.appendEventHash(hex(i));
        const b = CompactRange.fromJson(n, a.toJson());
        a.appendEventHash(hex(n));
        b.appendEventHash(hex(n));
        expect(b.root().equals(a.root())).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('hashes a leaf as SHA-256(0x00 ‖ the 32 bytes of the event hash)', () => {
    const h = hex(1);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), Buffer.from(h, 'hex')]))
      .digest();
    expect(leafHash(h).equals(expected)).toBe(true);
  });
});
