import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { leafHash, nodeHash } from './merkle';

/**
 * Complete Merkle subtrees kept as C2SP tlog-tiles (height 8, 256 hashes a tile), so a proof costs
 * a few tile reads instead of rebuilding the tree. Tile (L, t) holds the hashes of the level-8L
 * subtrees 256t … 256t+255; a level-0 tile holds leaf hashes. Level-0 tiles are written when full
 * (every 256th append); a tile above is rewritten each time one below completes, so it is always
 * current. The partial level-0 tile (the last < 256 events) is read from the events themselves.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const HASH = 32;

interface TileRow {
  width: number;
  hashes: Buffer;
}

/** The root of a perfect tree over `count` hashes (a power of two) stored back to back in `blob`. */
export function perfectRoot(blob: Buffer, count: number): Buffer {
  let level: Buffer[] = [];
  for (let i = 0; i < count; i++) level.push(blob.subarray(i * HASH, (i + 1) * HASH));
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
    level = up;
  }
  return Buffer.from(level[0]!);
}

/** What a tile write is: the full current content of tile (level, idx). */
export interface TileWrite {
  level: number;
  idx: number;
  width: number;
  hashes: Buffer;
}

/**
 * Builds tiles from leaf hashes fed in order, in memory, emitting every tile write it would make:
 * each completed level-0 tile, and each level-≥1 tile every time it grows. Used by the rebuild and
 * by verify (which compares what it emits with the stored rows).
 */
export class TileBuilder {
  private leaves: Buffer[] = [];
  /** The current (partial) tile at each level ≥ 1, as its hashes. */
  private readonly upper: Buffer[][] = [];
  private readonly upperIdx: number[] = [];
  size = 0;

  constructor(private readonly emit: (w: TileWrite) => void) {}

  pushLeaf(leaf: Buffer): void {
    this.leaves.push(leaf);
    this.size += 1;
    if (this.leaves.length === TILE_WIDTH) {
      const blob = Buffer.concat(this.leaves);
      const idx = this.size / TILE_WIDTH - 1;
      this.leaves = [];
      this.emit({ level: 0, idx, width: TILE_WIDTH, hashes: blob });
      this.grow(1, idx, perfectRoot(blob, TILE_WIDTH));
    }
  }

  /** Adds the root of tile (level-1, childIdx) to the tile above it. */
  private grow(level: number, childIdx: number, root: Buffer): void {
    const idx = Math.floor(childIdx / TILE_WIDTH);
    const slot = level - 1;
    if (this.upperIdx[slot] !== idx) {
      this.upper[slot] = [];
      this.upperIdx[slot] = idx;
    }
    const hashes = this.upper[slot]!;
    hashes.push(root);
    const blob = Buffer.concat(hashes);
    this.emit({ level, idx, width: hashes.length, hashes: blob });
    if (hashes.length === TILE_WIDTH) this.grow(level + 1, idx, perfectRoot(blob, TILE_WIDTH));
  }

  /** The last write of every tile above level 0 that is not full: what the table must end with. */
  partialUpperTiles(): TileWrite[] {
    const out: TileWrite[] = [];
    this.upper.forEach((hashes, slot) => {
      if (hashes.length > 0 && hashes.length < TILE_WIDTH) {
        out.push({
          level: slot + 1,
          idx: this.upperIdx[slot]!,
          width: hashes.length,
          hashes: Buffer.concat(hashes),
        });
      }
    });
    return out;
  }
}

/** Keeps `merkle_tiles` in step with the events, inside the append's transaction. */
export class TileStore {
  private readonly get: Statement;
  private readonly put: Statement;
  private readonly hashesOf: Statement;

  constructor(private readonly db: Db) {
    this.get = db.sqlite.prepare('SELECT width, hashes FROM merkle_tiles WHERE level = ? AND idx = ?');
    this.put = db.sqlite.prepare(
      `INSERT INTO merkle_tiles (level, idx, width, hashes) VALUES (?, ?, ?, ?)
       ON CONFLICT(level, idx) DO UPDATE SET width = excluded.width, hashes = excluded.hashes`,
    );
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
    this.put.run(0, idx, TILE_WIDTH, blob);
    this.grow(1, idx, perfectRoot(blob, TILE_WIDTH));
  }

  private grow(level: number, childIdx: number, root: Buffer): void {
    const idx = Math.floor(childIdx / TILE_WIDTH);
    const row = this.get.get(level, idx) as TileRow | undefined;
    const width = (row?.width ?? 0) + 1;
    if (width !== (childIdx % TILE_WIDTH) + 1)
      throw new Error(`tile ${level}/${idx} is out of step with the ledger`);
    const blob = row ? Buffer.concat([row.hashes, root]) : Buffer.from(root);
    this.put.run(level, idx, width, blob);
    if (width === TILE_WIDTH) this.grow(level + 1, idx, perfectRoot(blob, TILE_WIDTH));
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
    const put = db.sqlite.prepare(
      `INSERT INTO merkle_tiles (level, idx, width, hashes) VALUES (?, ?, ?, ?)
       ON CONFLICT(level, idx) DO UPDATE SET width = excluded.width, hashes = excluded.hashes`,
    );
    const builder = new TileBuilder((w) => put.run(w.level, w.idx, w.width, w.hashes));
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
    this.stored = db.sqlite.prepare('SELECT width, hashes FROM merkle_tiles WHERE level = ? AND idx = ?');
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
    if (!row || row.width !== w.width || !row.hashes.equals(w.hashes)) {
      this.found.push({
        seq: w.idx * TILE_WIDTH ** (w.level + 1) + 1,
        detail: row
          ? `Merkle tile ${w.level}/${w.idx} differs from the tile rebuilt from the events`
          : `Merkle tile ${w.level}/${w.idx} is missing`,
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

/** Per-database cache of expanded tiles (immutable once written: a tile only ever grows). */
const caches = new WeakMap<Db, Map<string, Buffer[][]>>();
const CACHE_ENTRIES = 512;

export function forgetTiles(db: Db): void {
  caches.delete(db);
}

/**
 * Reads perfect subtree hashes of the tree of `treeSize` leaves from the tiles. Each tile read is
 * expanded once into its 8 levels and cached, so a proof costs a handful of lookups.
 */
export class TileReader {
  private readonly cache: Map<string, Buffer[][]>;
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
    this.get = prepared(db, 'SELECT width, hashes FROM merkle_tiles WHERE level = ? AND idx = ?');
    this.hashesOf = prepared(db, 'SELECT hash FROM events WHERE seq > ? AND seq <= ? ORDER BY seq');
  }

  /** The hash of the perfect subtree of height `height` whose leaves are index·2^height … */
  perfect(height: number, index: number): Buffer {
    const level = Math.floor(height / TILE_HEIGHT);
    const r = height % TILE_HEIGHT;
    const first = index * 2 ** r; // its first entry, among the level-8L hashes
    const tile = Math.floor(first / TILE_WIDTH);
    const levels = this.expanded(level, tile);
    const h = levels[r]?.[(first % TILE_WIDTH) / 2 ** r];
    if (!h) throw new Error(`no complete subtree ${height}/${index} in a tree of ${this.treeSize}`);
    return h;
  }

  /** Tile (level, idx) as far as the tree of `treeSize` has completed it, expanded into levels. */
  private expanded(level: number, idx: number): Buffer[][] {
    const complete = Math.floor(this.treeSize / TILE_WIDTH ** level); // level-8L hashes in the tree
    const width = Math.min(TILE_WIDTH, complete - idx * TILE_WIDTH);
    if (width <= 0) throw new Error(`tile ${level}/${idx} is beyond a tree of ${this.treeSize}`);
    const key = `${level}/${idx}/${width}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const entries = this.entries(level, idx, width);
    const levels: Buffer[][] = [entries];
    for (let r = 1; r <= TILE_HEIGHT; r++) {
      const below = levels[r - 1]!;
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i]!, below[i + 1]!));
      if (up.length === 0) break;
      levels.push(up);
    }
    this.cache.set(key, levels);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return levels;
  }

  private entries(level: number, idx: number, width: number): Buffer[] {
    const row = this.get.get(level, idx) as TileRow | undefined;
    if (row && row.width >= width) {
      const out: Buffer[] = [];
      for (let i = 0; i < width; i++) out.push(row.hashes.subarray(i * HASH, (i + 1) * HASH));
      return out;
    }
    if (level > 0) throw new Error(`Merkle tile ${level}/${idx} is missing; run custody rebuild-projections`);
    // The partial level-0 tile: leaf hashes of the last events, read from the ledger itself.
    const first = idx * TILE_WIDTH;
    const rows = this.hashesOf.all(first, first + width) as { hash: string }[];
    if (rows.length !== width) throw new Error(`events ${first + 1}…${first + width} are missing`);
    return rows.map((r) => leafHash(r.hash));
  }
}
