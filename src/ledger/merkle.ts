import { sha256 } from './hash';

/** RFC 6962 leaf hash of an event: SHA-256(0x00 ‖ the 32 bytes of the event's hash). */
export function leafHash(eventHashHex: string): Buffer {
  const input = Buffer.alloc(33); // zeroed: a tampered, non-hex hash must still hash the same way every time
  input[0] = 0x00;
  input.write(eventHashHex, 1, 'hex');
  return sha256(input);
}

/** RFC 6962 interior node: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  const input = Buffer.allocUnsafe(65);
  input[0] = 0x01;
  left.copy(input, 1);
  right.copy(input, 33);
  return sha256(input);
}

const EMPTY_ROOT = sha256(new Uint8Array(0));

/**
 * A compact range over the leaves [0, size): the roots of the perfect subtrees that make up the
 * tree, largest first. Appending a leaf costs O(log n) hashes; the root folds them right to left,
 * which is exactly RFC 6962's MTH (it splits at the largest power of two below n).
 */
export class CompactRange {
  constructor(
    public size = 0,
    public readonly frontier: Buffer[] = [],
  ) {}

  static fromJson(size: number, json: string): CompactRange {
    const hexes = JSON.parse(json) as string[];
    return new CompactRange(
      size,
      hexes.map((h) => Buffer.from(h, 'hex')),
    );
  }

  toJson(): string {
    return JSON.stringify(this.frontier.map((b) => b.toString('hex')));
  }

  clone(): CompactRange {
    return new CompactRange(this.size, [...this.frontier]);
  }

  appendEventHash(eventHashHex: string): void {
    this.appendLeaf(leafHash(eventHashHex));
  }

  appendLeaf(leaf: Buffer): void {
    let node = leaf;
    for (let n = this.size; n & 1; n >>= 1) {
      const left = this.frontier.pop();
      if (!left) throw new Error('compact range is corrupt');
      node = nodeHash(left, node);
    }
    this.frontier.push(node);
    this.size += 1;
  }

  root(): Buffer {
    let i = this.frontier.length - 1;
    if (i < 0) return EMPTY_ROOT;
    let root = this.frontier[i]!;
    while (--i >= 0) root = nodeHash(this.frontier[i]!, root);
    return root;
  }
}
