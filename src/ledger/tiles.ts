import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { leafHash, nodeHash } from './merkle';

/**
 * Complete Merkle subtrees kept as C2SP tlog-tiles (height 8, 256 hashes a tile), so a proof costs
 * a few tile reads and no hashing. Tile (L, t) holds the hashes of the level-8L subtrees
 * 256t … 256t+255 (`hashes`, the C2SP tile); a level-0 tile holds leaf hashes. Beside them each
 * row keeps the tile's interior nodes (`nodes`): the subtrees of 2, 4 … 256 of its hashes, in the
 * order they complete (see nodeSlot). Level-0 tiles are written when full (every 256th append); a
 * tile above is rewritten each time one below completes, so it is always current. The partial
 * level-0 tile (the last < 256 events) is hashed from the events themselves.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const HASH = 32;

interface TileRow {
  width: number;
  hashes: Buffer;
  nodes: Buffer;
}

/** log2 of the largest power of two dividing n (n ≥ 1). */
function trailingZeros(n: number): number {
  let z = 0;
  while (n % 2 === 0) {
    n /= 2;
    z += 1;
  }
  return z;
}

function popcount(n: number): number {
  let c = 0;
  for (; n > 0; n >>>= 1) c += n & 1;
  return c;
}

/**
 * Where interior node (r, k) of a tile — the subtree over its hashes k·2^r … (k+1)·2^r − 1, r ≥ 1 —
 * sits in `nodes`, counted in hashes. Nodes are stored as they complete: adding hash e completes
 * the nodes at levels 1 … tz(e+1) that end there, lowest first, and e − popcount(e) nodes came
 * before it. A tile of width w has w − popcount(w) nodes; growing only appends.
 */
export function nodeSlot(r: number, k: number): number {
  const e = (k + 1) * 2 ** r - 1;
  return e - popcount(e) + r - 1;
}

/** The number of interior nodes of a tile of `width` hashes. */
export function nodeCount(width: number): number {
  return width - popcount(width);
}

const hashAt = (blob: Buffer, i: number) => blob.subarray(i * HASH, (i + 1) * HASH);

/**
 * The nodes that adding hash `e` (0-based) completes, lowest level first, given how to read the
 * tile's hashes and the nodes stored before it. The last one is the tile's root when e = 255.
 */
function nodesEndingAt(hash: (i: number) => Buffer, node: (slot: number) => Buffer, e: number): Buffer[] {
  const out: Buffer[] = [];
  let right = hash(e);
  for (let r = 1; r <= trailingZeros(e + 1); r++) {
    const k = (e + 1) / 2 ** (r - 1) - 2; // the left sibling, at level r − 1
    right = nodeHash(r === 1 ? hash(k) : node(nodeSlot(r - 1, k)), right);
    out.push(right);
  }
  return out;
}

/** All interior nodes of a tile over the first `width` hashes of `hashes`, back to back. */
export function tileNodes(hashes: Buffer, width: number): Buffer {
  const nodes: Buffer[] = [];
  for (let e = 0; e < width; e++) {
    nodes.push(
      ...nodesEndingAt(
        (i) => hashAt(hashes, i),
        (slot) => nodes[slot]!,
        e,
      ),
    );
  }
  return Buffer.concat(nodes);
}

/** What a tile write is: the full current content of tile (level, idx). */
export interface TileWrite {
  level: number;
  idx: number;
  width: number;
  hashes: Buffer;
  nodes: Buffer;
}

/** The root of a full tile: its last node. */
const rootOf = (nodes: Buffer) => Buffer.from(hashAt(nodes, TILE_WIDTH - 2));

/**
 * Builds tiles from leaf hashes fed in order, in memory, emitting every tile write it would make:
 * each completed level-0 tile, and each level-≥1 tile every time it grows. Used by the rebuild and
 * by verify (which compares what it emits with the stored rows).
 */
export class TileBuilder {
  private leaves: Buffer[] = [];
  /** The current (partial) tile at each level ≥ 1: its hashes and nodes. */
  private readonly upper: { idx: number; hashes: Buffer[]; nodes: Buffer[] }[] = [];
  size = 0;

  constructor(private readonly emit: (w: TileWrite) => void) {}

  pushLeaf(leaf: Buffer): void {
    this.leaves.push(leaf);
    this.size += 1;
    if (this.leaves.length === TILE_WIDTH) {
      const hashes = Buffer.concat(this.leaves);
      const idx = this.size / TILE_WIDTH - 1;
      this.leaves = [];
      const nodes = tileNodes(hashes, TILE_WIDTH);
      this.emit({ level: 0, idx, width: TILE_WIDTH, hashes, nodes });
      this.grow(1, idx, rootOf(nodes));
    }
  }

  /** Adds the root of tile (level-1, childIdx) to the tile above it. */
  private grow(level: number, childIdx: number, root: Buffer): void {
    const idx = Math.floor(childIdx / TILE_WIDTH);
    const slot = level - 1;
    let tile = this.upper[slot];
    if (tile?.idx !== idx) {
      tile = { idx, hashes: [], nodes: [] };
      this.upper[slot] = tile;
    }
    tile.hashes.push(root);
    const hashes = Buffer.concat(tile.hashes);
    const nodes = tile.nodes;
    nodes.push(
      ...nodesEndingAt(
        (i) => tile.hashes[i]!,
        (slot) => nodes[slot]!,
        tile.hashes.length - 1,
      ),
    );
    const blob = Buffer.concat(nodes);
    this.emit({ level, idx, width: tile.hashes.length, hashes, nodes: blob });
    if (tile.hashes.length === TILE_WIDTH) this.grow(level + 1, idx, rootOf(blob));
  }

  /** The last write of every tile above level 0 that is not full: what the table must end with. */
  partialUpperTiles(): TileWrite[] {
    const out: TileWrite[] = [];
    this.upper.forEach((tile, slot) => {
      if (tile.hashes.length > 0 && tile.hashes.length < TILE_WIDTH) {
        out.push({
          level: slot + 1,
          idx: tile.idx,
          width: tile.hashes.length,
          hashes: Buffer.concat(tile.hashes),
          nodes: Buffer.concat(tile.nodes),
        });
      }
    });
    return out;
  }
}

const PUT_TILE = `INSERT INTO merkle_tiles (level, idx, width, hashes, nodes) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT(level, idx) DO UPDATE SET width = excluded.width, hashes = excluded.hashes, nodes = excluded.nodes`;
const GET_TILE = 'SELECT width, hashes, nodes FROM merkle_tiles WHERE level = ? AND idx = ?';

/** Keeps `merkle_tiles` in step with the events, inside the append's transaction. */
export class TileStore {
  private readonly get: Statement;
  private readonly put: Statement;
  private readonly hashesOf: Statement;

  constructor(private readonly db: Db) {
    this.get = db.sqlite.prepare(GET_TILE);
    this.put = db.sqlite.prepare(PUT_TILE);
    this.hashesOf = db.sqlite
      .prepare('SELECT hash FROM events WHERE seq > ? AND seq <= ? ORDER BY seq')
      .pluck();
  }

  /** Called after event `seq` was inserted: every 256th event completes a level-0 tile. */
  afterAppend(seq: number): void {
    if (seq % TILE_WIDTH !== 0) return;
    const idx = seq / TILE_WIDTH - 1;
    const hashes = this.hashesOf.all(seq - TILE_WIDTH, seq) as string[];
    if (hashes.length !== TILE_WIDTH) throw new Error(`tile ${idx}: events ${seq - 255}…${seq} are missing`);
    const blob = Buffer.concat(hashes.map(leafHash));
    const nodes = tileNodes(blob, TILE_WIDTH);
    this.put.run(0, idx, TILE_WIDTH, blob, nodes);
    this.grow(1, idx, rootOf(nodes));
  }

  private grow(level: number, childIdx: number, root: Buffer): void {
    const idx = Math.floor(childIdx / TILE_WIDTH);
    const row = this.get.get(level, idx) as TileRow | undefined;
    const width = (row?.width ?? 0) + 1;
    if (width !== (childIdx % TILE_WIDTH) + 1 || (row && row.nodes.length !== nodeCount(row.width) * HASH))
      throw new Error(`tile ${level}/${idx} is out of step with the ledger`);
    const hashes = row ? Buffer.concat([row.hashes, root]) : Buffer.from(root);
    const before = row?.nodes ?? Buffer.alloc(0);
    const more = nodesEndingAt(
      (i) => hashAt(hashes, i),
      (slot) => hashAt(before, slot),
      width - 1,
    );
    const nodes = Buffer.concat([before, ...more]);
    this.put.run(level, idx, width, hashes, nodes);
    if (width === TILE_WIDTH) this.grow(level + 1, idx, rootOf(nodes));
  }

  /** True when the stored level-0 tiles cover exactly the complete tiles of `headSeq` events. */
  inStep(headSeq: number): boolean {
    const n = this.db.sqlite
      .prepare('SELECT count(*) FROM merkle_tiles WHERE level = 0')
      .pluck()
      .get() as number;
    return n === Math.floor(headSeq / TILE_WIDTH);
  }
}

/**
 * Replaces every tile with a rebuild from the events, in one transaction (at start-up when the
 * table is behind — a ledger from before tiles existed — and by `rebuild-projections`).
 */
export function rebuildTiles(db: Db): number {
  forgetTiles(db);
  return db.sqlite.transaction(() => {
    db.sqlite.prepare('DELETE FROM merkle_tiles').run();
    const put = db.sqlite.prepare(PUT_TILE);
    const builder = new TileBuilder((w) => put.run(w.level, w.idx, w.width, w.hashes, w.nodes));
    // In pages: a connection cannot write while it iterates.
    const page = db.sqlite.prepare('SELECT hash FROM events WHERE seq > ? ORDER BY seq LIMIT 16384').pluck();
    for (;;) {
      const hashes = page.all(builder.size) as string[];
      if (hashes.length === 0) break;
      for (const hash of hashes) builder.pushLeaf(leafHash(hash));
    }
    return builder.size;
  })();
}

/**
 * Compares the stored tiles with tiles rebuilt from the leaf hashes fed in order (verify's pass).
 * `mismatches()` lists each tile that differs, with the first seq it covers.
 */
export class TileChecker {
  private readonly stored: Statement;
  private readonly count: Statement;
  private readonly builder: TileBuilder;
  private readonly found: { seq: number; detail: string }[] = [];
  private expected = 0;

  constructor(db: Db) {
    this.stored = db.sqlite.prepare(GET_TILE);
    this.count = db.sqlite.prepare('SELECT count(*) FROM merkle_tiles').pluck();
    // Upper tiles are compared once full; the partial ones at the end (their last state).
    this.builder = new TileBuilder((w) => {
      if (w.width === TILE_WIDTH) this.compare(w);
    });
  }

  pushLeaf(leaf: Buffer): void {
    this.builder.pushLeaf(leaf);
  }

  private compare(w: TileWrite): void {
    this.expected += 1;
    const row = this.stored.get(w.level, w.idx) as TileRow | undefined;
    const what = !row
      ? 'is missing'
      : row.width !== w.width || !row.hashes.equals(w.hashes)
        ? 'differs from the tile rebuilt from the events'
        : !row.nodes.equals(w.nodes)
          ? 'has interior nodes that differ from the ones rebuilt from the events'
          : null;
    if (what) {
      this.found.push({
        seq: w.idx * TILE_WIDTH ** (w.level + 1) + 1,
        detail: `Merkle tile ${w.level}/${w.idx} ${what}`,
      });
    }
  }

  /** Call once after the last leaf. */
  mismatches(): { seq: number; detail: string }[] {
    for (const w of this.builder.partialUpperTiles()) this.compare(w);
    const stored = this.count.get() as number;
    if (stored !== this.expected) {
      this.found.push({
        seq: this.builder.size + 1,
        detail: `${stored} Merkle tiles are stored; the events make ${this.expected}`,
      });
    }
    return this.found;
  }
}

/** A tile as read for proofs: its first `width` hashes and their interior nodes. */
interface Tile {
  width: number;
  hashes: Buffer;
  nodes: Buffer;
}

/**
 * Per-database cache of tiles as read (a tile only ever grows and its first hashes and nodes never
 * change, so a cached tile serves any tree it is wide enough for), and of partial level-0 tiles
 * hashed from the events. Two buffers an entry: cheap to keep, nothing for the collector to walk.
 * The tiles above level 0 (a few dozen at a million events) are on every proof's path and stay.
 */
const caches = new WeakMap<Db, Map<string, Tile>>();
const CACHE_ENTRIES = 512;

export function forgetTiles(db: Db): void {
  caches.delete(db);
}

/**
 * Reads perfect subtree hashes of the tree of `treeSize` leaves from the stored tiles: a proof is a
 * few row reads (fewer when cached) and no hashing, but for the partial level-0 tile, hashed once
 * per tree size.
 */
export class TileReader {
  private readonly cache: Map<string, Tile>;
  private readonly get: Statement;
  private readonly hashesOf: Statement;

  constructor(
    db: Db,
    readonly treeSize: number,
  ) {
    let cache = caches.get(db);
    if (!cache) {
      cache = new Map();
      caches.set(db, cache);
    }
    this.cache = cache;
    this.get = prepared(db, GET_TILE);
    this.hashesOf = prepared(db, 'SELECT hash FROM events WHERE seq > ? AND seq <= ? ORDER BY seq').pluck();
  }

  /** The hash of the perfect subtree of height `height` whose leaves are index·2^height … */
  perfect(height: number, index: number): Buffer {
    const level = Math.floor(height / TILE_HEIGHT);
    const r = height % TILE_HEIGHT;
    const first = index * 2 ** r; // its first entry, among the level-8L hashes
    const idx = Math.floor(first / TILE_WIDTH);
    const k = (first % TILE_WIDTH) / 2 ** r;
    const complete = Math.floor(this.treeSize / TILE_WIDTH ** level); // level-8L hashes in the tree
    const width = Math.min(TILE_WIDTH, complete - idx * TILE_WIDTH);
    if ((k + 1) * 2 ** r > width) {
      throw new Error(`no complete subtree ${height}/${index} in a tree of ${this.treeSize}`);
    }
    const tile = this.tile(level, idx, width);
    const [blob, at] = r === 0 ? [tile.hashes, k] : [tile.nodes, nodeSlot(r, k)];
    // A copy: the cached tile must not change through a proof's hashes.
    const out = Buffer.allocUnsafe(HASH);
    blob.copy(out, 0, at * HASH, (at + 1) * HASH);
    return out;
  }

  /** Tile (level, idx), at least its first `width` hashes (as far as the tree has completed it). */
  private tile(level: number, idx: number, width: number): Tile {
    const key = `${level}/${idx}`;
    const hit = this.cache.get(key);
    if (hit && hit.width >= width) return this.keep(key, hit);
    const row = this.get.get(level, idx) as TileRow | undefined;
    if (row && row.width >= width) {
      if (row.hashes.length !== row.width * HASH || row.nodes.length !== nodeCount(row.width) * HASH) {
        throw new Error(`Merkle tile ${level}/${idx} is damaged; run custody rebuild-projections`);
      }
      return this.keep(key, row);
    }
    if (level > 0) throw new Error(`Merkle tile ${level}/${idx} is missing; run custody rebuild-projections`);
    return this.partialTile(idx, width);
  }

  /** The partial level-0 tile: leaf hashes of the last events, read from the ledger itself. */
  private partialTile(idx: number, width: number): Tile {
    const key = `partial ${idx}/${width}`;
    const hit = this.cache.get(key);
    if (hit) return this.keep(key, hit);
    const first = idx * TILE_WIDTH;
    const hashes = this.hashesOf.all(first, first + width) as string[];
    if (hashes.length !== width) throw new Error(`events ${first + 1}…${first + width} are missing`);
    const blob = Buffer.concat(hashes.map(leafHash));
    return this.keep(key, { width, hashes: blob, nodes: tileNodes(blob, width) });
  }

  /** Puts `tile` last in the cache's order (most recently used), dropping the least recent. */
  private keep(key: string, tile: Tile): Tile {
    this.cache.delete(key);
    this.cache.set(key, tile);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return tile;
  }
}
