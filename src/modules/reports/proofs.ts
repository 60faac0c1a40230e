import type { Db } from '../../db/open';
import type { Checkpoint } from '../../ledger/checkpoint';
import { sha256 } from '../../ledger/hash';
import { leafHash, nodeHash } from '../../ledger/merkle';

/*
 * Inclusion proofs for the events a report shows, in the C2SP tlog-proof form. Until the ledger's
 * own proof module (tiles) is in, they come from a per-process copy of the tree's complete subtrees:
 * the leaves are immutable, so it is read once and extended with each new event, and a proof costs
 * O(log n). Whatever it answers is checked against the signed root before it is used.
 */

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/** Level i holds the roots of the complete subtrees of 2^i leaves, 32 bytes each, left to right. */
class Subtrees {
  size = 0;
  private readonly levels: Buffer[] = [];
  private readonly counts: number[] = [];

  node(level: number, index: number): Buffer {
    return this.levels[level]!.subarray(index * 32, index * 32 + 32);
  }

  private push(level: number, hash: Buffer) {
    const n = this.counts[level] ?? 0;
    let buf = this.levels[level] ?? Buffer.alloc(0);
    if ((n + 1) * 32 > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(1024, buf.length * 2));
      buf.copy(grown, 0, 0, n * 32);
      buf = grown;
    }
    hash.copy(buf, n * 32);
    this.levels[level] = buf;
    this.counts[level] = n + 1;
  }

  append(eventHashHex: string) {
    let level = 0;
    this.push(0, leafHash(eventHashHex));
    // A new right child completes its parent, and so on up.
    while ((this.counts[level]! & 1) === 0) {
      const n = this.counts[level]!;
      this.push(level + 1, nodeHash(this.node(level, n - 2), this.node(level, n - 1)));
      level += 1;
    }
    this.size += 1;
  }

  /** RFC 6962 MTH of leaves [lo, hi), hi ≤ size. */
  root(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return sha256(new Uint8Array(0));
    if ((n & (n - 1)) === 0 && lo % n === 0) return this.node(Math.log2(n), lo / n);
    const k = 2 ** Math.floor(Math.log2(n - 1));
    return nodeHash(this.root(lo, lo + k), this.root(lo + k, hi));
  }

  /** RFC 6962 PATH(m, D[lo:hi]): the audit path of leaf lo + m, its sibling first. */
  path(m: number, lo: number, hi: number): Buffer[] {
    const n = hi - lo;
    if (n <= 1) return [];
    const k = 2 ** Math.floor(Math.log2(n - 1));
    return m < k
      ? [...this.path(m, lo, lo + k), this.root(lo + k, hi)]
      : [...this.path(m - k, lo + k, hi), this.root(lo, lo + k)];
  }
}

const trees = new Map<string, Subtrees>();

/** The subtrees of this database's ledger, read up to `treeSize` (a fresh copy when `fresh`). */
function subtreesOf(db: Db, treeSize: number, fresh: boolean): Subtrees {
  const key = db.path;
  let t = fresh || key === ':memory:' ? undefined : trees.get(key);
  if (!t) {
    t = new Subtrees();
    if (key !== ':memory:') trees.set(key, t);
  }
  if (t.size < treeSize) {
    const stmt = db.sqlite.prepare('SELECT hash FROM events WHERE seq > ? AND seq <= ? ORDER BY seq').pluck();
    for (const hash of stmt.iterate(t.size, treeSize) as Iterable<string>) t.append(hash);
  }
  return t;
}

export function formatTlogProof(
  index: number,
  proof: readonly Buffer[],
  note: string,
  extra?: string,
): string {
  const lines = [TLOG_PROOF_HEADER];
  if (extra !== undefined) lines.push(`extra ${Buffer.from(extra, 'utf8').toString('base64')}`);
  lines.push(`index ${index}`, ...proof.map((h) => h.toString('base64')));
  return `${lines.join('\n')}\n\n${note}`;
}

/** seq → tlog-proof of each event in the checkpoint's tree (checked against its root). */
export function proofsFor(db: Db, seqs: readonly number[], cp: Checkpoint): Map<number, string> {
  const out = new Map<number, string>();
  if (seqs.length === 0) return out;
  let tree = subtreesOf(db, cp.treeSize, false);
  // A copy that disagrees with the signed root (a rebuilt or restored database) is read again.
  if (tree.root(0, cp.treeSize).toString('hex') !== cp.rootHash) tree = subtreesOf(db, cp.treeSize, true);
  if (tree.root(0, cp.treeSize).toString('hex') !== cp.rootHash) {
    throw new Error(`the events disagree with checkpoint ${cp.treeSize}; run custody verify`);
  }
  for (const seq of seqs) out.set(seq, formatTlogProof(seq - 1, tree.path(seq - 1, 0, cp.treeSize), cp.note));
  return out;
}

/** RFC 9162 §2.1.3.2: does `proof` lead from `leaf` at `index` to `root` in a tree of `size`? */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      r = nodeHash(p, r);
      if (!(fn & 1)) while (fn !== 0 && !(fn & 1)) [fn, sn] = [fn >> 1, sn >> 1];
    } else r = nodeHash(r, p);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}

/** Whether an event's attached tlog-proof holds against the report's (already verified) checkpoint. */
export function checkEventProof(
  proof: string | undefined,
  e: { seq: number; hash: string },
  cp: Checkpoint,
): { ok: true } | { ok: false; reason: string } {
  if (proof === undefined) return { ok: false, reason: 'no inclusion proof' };
  const lines = proof.split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) return { ok: false, reason: `the proof is not a ${TLOG_PROOF_HEADER}` };
  let i = lines[1]?.startsWith('extra ') ? 2 : 1;
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i++] ?? '');
  if (!m || Number(m[1]) !== e.seq - 1) return { ok: false, reason: 'the proof is for another index' };
  const path: Buffer[] = [];
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = Buffer.from(lines[i]!, 'base64');
    if (h.length !== 32 || h.toString('base64') !== lines[i])
      return { ok: false, reason: 'a proof line is not a hash' };
    path.push(h);
  }
  if (lines.slice(i + 1).join('\n') !== cp.note)
    return { ok: false, reason: 'the proof names another checkpoint' };
  const ok = verifyInclusion(leafHash(e.hash), e.seq - 1, cp.treeSize, path, Buffer.from(cp.rootHash, 'hex'));
  return ok
    ? { ok: true }
    : { ok: false, reason: `the proof does not lead to the root of checkpoint ${cp.treeSize}` };
}
