import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { AppError } from '../lib/errors';
import { canonicalJson } from './canonical';
import { type Checkpoint, openCheckpoint } from './checkpoint';
import { type EventRow, exportLineOf } from './events-read';
import { sha256, sha256Hex } from './hash';
import { leafHash, nodeHash } from './merkle';
import { publicKeyFromRaw } from './signer';
import { TileReader } from './tiles';

/**
 * RFC 9162 (RFC 6962) Merkle proofs over the ledger: leaf = SHA-256(0x00 ‖ the event hash's 32
 * bytes), node = SHA-256(0x01 ‖ left ‖ right). Generation reads complete subtrees from the tiles
 * (src/ledger/tiles.ts); verification is pure and needs nothing but the hashes.
 */
export { leafHash, nodeHash };

export const EMPTY_ROOT = sha256(new Uint8Array(0));

/** Where complete (perfect) subtree hashes come from: the tiles, or a list of leaves in tests. */
export interface SubtreeSource {
  /** The hash of the perfect subtree of height `height` over leaves index·2^height … (index+1)·2^height − 1. */
  perfect(height: number, index: number): Buffer;
}

/** An in-memory source over leaf hashes (tests, small trees). */
export function leavesSource(leaves: readonly Buffer[]): SubtreeSource {
  const memo = new Map<string, Buffer>();
  const perfect = (height: number, index: number): Buffer => {
    if (height === 0) {
      const leaf = leaves[index];
      if (!leaf) throw new RangeError(`no leaf ${index}`);
      return leaf;
    }
    const key = `${height}/${index}`;
    let h = memo.get(key);
    if (!h) {
      h = nodeHash(perfect(height - 1, 2 * index), perfect(height - 1, 2 * index + 1));
      memo.set(key, h);
    }
    return h;
  };
  return { perfect };
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** MTH(D[lo : lo+n]) for a range that is a subtree of RFC 6962's split (lo aligned to its size's power of two). */
function rangeHash(src: SubtreeSource, lo: number, n: number): Buffer {
  if (isPowerOfTwo(n) && lo % n === 0) return src.perfect(Math.round(Math.log2(n)), lo / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(src, lo, k), rangeHash(src, lo + k, n - k));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[lo : lo+n]), leaf's sibling first. */
function path(src: SubtreeSource, m: number, lo: number, n: number, out: Buffer[]): void {
  if (n <= 1) return;
  const k = splitPoint(n);
  if (m < k) {
    path(src, m, lo, k, out);
    out.push(rangeHash(src, lo + k, n - k));
  } else {
    path(src, m - k, lo + k, n - k, out);
    out.push(rangeHash(src, lo, k));
  }
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo : lo+n], b). */
function subproof(src: SubtreeSource, m: number, lo: number, n: number, b: boolean, out: Buffer[]): void {
  if (m === n) {
    if (!b) out.push(rangeHash(src, lo, n));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(src, m, lo, k, b, out);
    out.push(rangeHash(src, lo + k, n - k));
  } else {
    subproof(src, m - k, lo + k, n - k, false, out);
    out.push(rangeHash(src, lo, k));
  }
}

function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

export function inclusionProofFrom(src: SubtreeSource, index: number, treeSize: number): Buffer[] {
  checkSize('index', index);
  checkSize('treeSize', treeSize);
  if (index >= treeSize) throw new RangeError(`index ${index} is not in a tree of ${treeSize}`);
  const out: Buffer[] = [];
  path(src, index, 0, treeSize, out);
  return out;
}

export function consistencyProofFrom(src: SubtreeSource, from: number, to: number): Buffer[] {
  checkSize('from', from);
  checkSize('to', to);
  if (from > to) throw new RangeError(`from ${from} is beyond to ${to}`);
  if (from === 0 || from === to) return [];
  const out: Buffer[] = [];
  subproof(src, from, 0, to, true, out);
  return out;
}

export function rootFrom(src: SubtreeSource, treeSize: number): Buffer {
  checkSize('treeSize', treeSize);
  return treeSize === 0 ? EMPTY_ROOT : rangeHash(src, 0, treeSize);
}

/** The ledger's head (the number of events), as committed. */
export function ledgerSize(db: Db): number {
  const row = prepared(db, 'SELECT head_seq FROM ledger_state WHERE id = 1').get() as
    | { head_seq: number }
    | undefined;
  return row?.head_seq ?? 0;
}

/** Refuses a tree size the ledger has not reached. */
export function assertWithinLedger(treeSize: number, head: number): void {
  if (treeSize > head) {
    throw new AppError(
      'tree_size_beyond_ledger',
      `tree size ${treeSize} is beyond the ledger, which has ${head} events`,
      {
        treeSize,
        head,
      },
    );
  }
}

function readerFor(db: Db, treeSize: number): TileReader {
  assertWithinLedger(treeSize, ledgerSize(db));
  return new TileReader(db, treeSize);
}

/** The inclusion proof of leaf `index` (= seq − 1) in the ledger's tree of `treeSize` events. */
export function inclusionProof(db: Db, index: number, treeSize: number): Buffer[] {
  const reader = readerFor(db, treeSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
    throw new AppError('seq_beyond_tree_size', `seq ${index + 1} is not in a tree of ${treeSize} events`, {
      seq: index + 1,
      treeSize,
    });
  }
  return inclusionProofFrom(reader, index, treeSize);
}

/** The consistency proof from the ledger's tree of `from` events to its tree of `to` events. */
export function consistencyProof(db: Db, from: number, to: number): Buffer[] {
  const reader = readerFor(db, to);
  if (!Number.isSafeInteger(from) || from < 1 || from > to) {
    throw new AppError(
      'invalid_tree_sizes',
      `a consistency proof needs 1 ≤ from ≤ to; got from ${from}, to ${to}`,
      {
        from,
        to,
      },
    );
  }
  return consistencyProofFrom(reader, from, to);
}

/** The RFC 6962 root of the ledger's first `treeSize` events. */
export function rootAt(db: Db, treeSize: number): Buffer {
  return rootFrom(readerFor(db, treeSize), treeSize);
}

const isHash = (b: unknown): b is Buffer => Buffer.isBuffer(b) && b.length === 32;

/** fn and sn of RFC 9162's verification algorithms, shifted right together. */
interface Cursor {
  fn: number;
  sn: number;
}
const half = (c: Cursor) => {
  c.fn = Math.floor(c.fn / 2);
  c.sn = Math.floor(c.sn / 2);
};

/**
 * One step of RFC 9162 §2.1.3.2 / §2.1.4.2 for path element `p`: true when `p` is a left sibling
 * (hash it in on the left). Returns null when the path is longer than the tree allows (sn = 0).
 */
function stepIsLeft(c: Cursor): boolean | null {
  if (c.sn === 0) return null;
  const left = c.fn % 2 === 1 || c.fn === c.sn;
  if (left && c.fn % 2 === 0) while (c.fn % 2 === 0 && c.fn !== 0) half(c);
  return left;
}

/** RFC 9162 §2.1.3.2: does `proof` prove `leaf` at `index` in the tree of `treeSize` with `root`? */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  treeSize: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) {
    return false;
  }
  const c: Cursor = { fn: index, sn: treeSize - 1 };
  let r = leaf;
  for (const p of proof) {
    const left = stepIsLeft(c);
    if (left === null) return false;
    r = left ? nodeHash(p, r) : nodeHash(r, p);
    half(c);
  }
  return c.sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` prove the tree of `to` (root `rootToHash`) extends the tree of `from` (root `rootFromHash`)? */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly Buffer[],
  rootFromHash: Buffer,
  rootToHash: Buffer,
): boolean {
  if (!isHash(rootFromHash) || !isHash(rootToHash) || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || from > to) return false;
  if (from === to) return proof.length === 0 && rootFromHash.equals(rootToHash);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(from) ? [rootFromHash, ...proof] : [...proof];
  const c: Cursor = { fn: from - 1, sn: to - 1 };
  while (c.fn % 2 === 1) half(c);
  let fr = path[0]!;
  let sr = path[0]!;
  for (const p of path.slice(1)) {
    const left = stepIsLeft(c);
    if (left === null) return false;
    if (left) {
      fr = nodeHash(p, fr);
      sr = nodeHash(p, sr);
    } else {
      sr = nodeHash(sr, p);
    }
    half(c);
  }
  return c.sn === 0 && fr.equals(rootFromHash) && sr.equals(rootToHash);
}

// ─── C2SP tlog-proof@v1 (c2sp.org/tlog-proof) ────────────────────────────────────────────────────

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  /** Zero-based leaf index (= seq − 1). */
  index: number;
  proof: Buffer[];
  /** The signed checkpoint note, verbatim. */
  checkpointNote: string;
  /** Opaque, unauthenticated extra data (here: the event's export line, UTF-8). */
  extra?: Buffer | undefined;
}

/** Strict standard base64 (padded, canonical): re-encoding gives the same text. */
function strictBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

export function formatTlogProof(p: TlogProof): string {
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${p.extra.toString('base64')}`);
  lines.push(`index ${p.index}`);
  for (const h of p.proof) lines.push(h.toString('base64'));
  return `${lines.join('\n')}\n\n${p.checkpointNote}`;
}

/** Parses a tlog-proof; throws an Error naming what is wrong. The checkpoint is not verified here. */
export function parseTlogProof(text: string): TlogProof {
  const lines = text.split('\n');
  let i = 0;
  if (lines[i++] !== TLOG_PROOF_HEADER) throw new Error(`the first line is not ${TLOG_PROOF_HEADER}`);
  let extra: Buffer | undefined;
  if (lines[i]?.startsWith('extra ')) {
    const bytes = strictBase64(lines[i]!.slice(6));
    if (!bytes) throw new Error('the extra line is not canonical base64');
    extra = bytes;
    i += 1;
  }
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i++] ?? '');
  if (!m) throw new Error('no "index N" line (decimal, no leading zeros)');
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index)) throw new Error('the index is too large');
  const proof: Buffer[] = [];
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = strictBase64(lines[i]!);
    if (h?.length !== 32) throw new Error(`proof line ${proof.length + 1} is not a base64 SHA-256 hash`);
    proof.push(h);
  }
  if (i >= lines.length) throw new Error('no empty line before the checkpoint');
  const checkpointNote = lines.slice(i + 1).join('\n');
  if (checkpointNote === '') throw new Error('no checkpoint after the proof');
  return { index, proof, checkpointNote, ...(extra ? { extra } : {}) };
}

// ─── Event proofs against a signed checkpoint ────────────────────────────────────────────────────

export interface EventInclusion {
  seq: number;
  /** 0-based leaf index, seq − 1. */
  index: number;
  treeSize: number;
  eventHash: string;
  leafHash: string;
  rootHash: string;
  /** The inclusion path, leaf's sibling first, hex. */
  proof: string[];
  /** The same proof as a C2SP tlog-proof, with the event's export line as `extra`. */
  tlogProof: string;
}

/**
 * The inclusion proof of event `seq` in the tree of a signed checkpoint, checked against the
 * checkpoint's root before it is handed out (damaged tiles must never yield a wrong proof).
 */
export function eventInclusion(db: Db, seq: number, checkpoint: Checkpoint): EventInclusion {
  const index = seq - 1;
  const proof = inclusionProof(db, index, checkpoint.treeSize);
  const row = prepared(db, 'SELECT * FROM events WHERE seq = ?').get(seq) as EventRow | undefined;
  if (!row) throw new Error(`event ${seq} is missing`);
  const leaf = leafHash(row.hash);
  if (!verifyInclusion(leaf, index, checkpoint.treeSize, proof, Buffer.from(checkpoint.rootHash, 'hex'))) {
    throw new Error(
      `the Merkle tiles disagree with the checkpoint at ${checkpoint.treeSize}; run custody verify`,
    );
  }
  return {
    seq,
    index,
    treeSize: checkpoint.treeSize,
    eventHash: row.hash,
    leafHash: leaf.toString('hex'),
    rootHash: checkpoint.rootHash,
    proof: proof.map((h) => h.toString('hex')),
    tlogProof: formatTlogProof({
      index,
      proof,
      checkpointNote: checkpoint.note,
      extra: Buffer.from(exportLineOf(row), 'utf8'),
    }),
  };
}

export type TlogProofCheck =
  | { ok: true; index: number; checkpoint: Checkpoint; event: Record<string, unknown> | null }
  | { ok: false; reason: string };

/**
 * Checks a tlog-proof offline: the checkpoint's signature by `publicKeyRaw`, and the inclusion of
 * the event — given by its hash, or else taken from `extra` (an export line, rehashed here).
 */
export function checkTlogProof(text: string, publicKeyRaw: Buffer, eventHashHex?: string): TlogProofCheck {
  let parsed: TlogProof;
  try {
    parsed = parseTlogProof(text);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const opened = openCheckpoint(parsed.checkpointNote, publicKeyFromRaw(publicKeyRaw), publicKeyRaw);
  if (!opened.ok) return { ok: false, reason: `checkpoint: ${opened.reason}` };
  let event: Record<string, unknown> | null = null;
  let hash = eventHashHex;
  if (parsed.extra) {
    try {
      event = JSON.parse(parsed.extra.toString('utf8')) as Record<string, unknown>;
    } catch {
      return { ok: false, reason: 'extra is not an event (JSON)' };
    }
    const recomputed = eventHashOf(event);
    if (!recomputed) return { ok: false, reason: 'extra is not a ledger event' };
    if (hash !== undefined && hash !== recomputed) return { ok: false, reason: 'extra is another event' };
    if (event.hash !== undefined && event.hash !== recomputed) {
      return { ok: false, reason: 'the event in extra does not hash to its hash member' };
    }
    if (event.seq !== parsed.index + 1) return { ok: false, reason: 'the event’s seq is not index + 1' };
    hash = recomputed;
  }
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash))
    return { ok: false, reason: 'no event hash to prove' };
  const { checkpoint } = opened;
  const ok = verifyInclusion(
    leafHash(hash),
    parsed.index,
    checkpoint.treeSize,
    parsed.proof,
    Buffer.from(checkpoint.rootHash, 'hex'),
  );
  if (!ok)
    return { ok: false, reason: `the proof does not lead to the root of checkpoint ${checkpoint.treeSize}` };
  return { ok: true, index: parsed.index, checkpoint, event };
}

/** The hash of an event object as exported (§3 of docs/ledger-format.md), or null if it is not one. */
export function eventHashOf(event: Record<string, unknown>): string | null {
  const { hash: _hash, ...rest } = event;
  const members = Object.keys(rest).sort().join();
  if (members !== 'actor,data,entityId,entityType,occurredAt,prevHash,recordedAt,seq,type') return null;
  const text = canonicalJson(rest);
  return sha256Hex(text);
}

/** Proofs in the ledger's tree of `treeSize` sharing one tile reader (a bundle's many proofs). */
export function proverAt(db: Db, treeSize: number) {
  const reader = readerFor(db, treeSize);
  return {
    inclusion: (index: number) => inclusionProofFrom(reader, index, treeSize),
    consistency: (from: number) => consistencyProofFrom(reader, from, treeSize),
    root: () => rootFrom(reader, treeSize),
  };
}
