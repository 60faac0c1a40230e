import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openDb } from '../db/open';
import { canonicalJson } from './canonical';
import { type Checkpoint, ledgerOrigin, openCheckpoint } from './checkpoint';
import { type EventRow, eventOf, hashedTextOf, iterateEventRows } from './events-read';
import { sha256Hex, ZERO_HASH } from './hash';
import { type CheckpointRow, checkpointFileFor, DEFAULT_CHECKPOINT_EVERY } from './ledger';
import { CompactRange, leafHash } from './merkle';
import { publicKeyFromRaw } from './signer';
import { TileChecker } from './tiles';
import type { Projector } from './types';

/**
 * Every kind of damage verify reports: docs/operations.md lists exactly these (a test compares),
 * the API's VerifyResult names them, and an operator's alerting can match on them.
 */
export const DAMAGE_KINDS = [
  'missing_genesis',
  'seq_gap',
  'hash_mismatch',
  'broken_link',
  'not_canonical',
  'checkpoint_invalid',
  'checkpoint_mismatch',
  'truncated',
  'state_mismatch',
  'projection_mismatch',
  // The <db>.checkpoints file against the checkpoints table: two copies that must agree.
  'checkpoint_file_missing',
  'checkpoint_line_unreadable',
  'checkpoint_missing_from_file',
  'checkpoint_missing_from_db',
  'checkpoint_copies_differ',
  // More events after the last checkpoint than the service ever leaves unsigned.
  'unsigned_tail',
  // What lives beside the ledger (VerifyOptions.checks): attached documents.
  'document_missing',
  'document_damaged',
  // Derived Merkle tiles (src/ledger/tiles.ts) that differ from a rebuild.
  'tile_mismatch',
] as const;
export type DamageKind = (typeof DAMAGE_KINDS)[number];

export interface Damage {
  kind: DamageKind;
  /** The first sequence number the damage concerns; null for a projection table, which has none. */
  seq: number | null;
  detail: string;
  /** The line of the checkpoint file, for a line that cannot be read. */
  line?: number;
  /** For a rewritten chain: the last checkpoint that holds (0: none) and the first that fails. */
  between?: { from: number; to: number };
}

export interface VerifyResult {
  ok: boolean;
  ledgerId: string | null;
  events: number;
  headHash: string;
  rootHash: string;
  checkpointsChecked: number;
  projectionsChecked: boolean;
  /** The earliest damage found, by sequence number. */
  firstBad: Damage | null;
  damage: Damage[];
}

export interface VerifyOptions {
  projectors: readonly Projector[];
  /** Also re-canonicalise every event's data (slower); by default the stored canonical bytes are rehashed. */
  full?: boolean;
  checkpointFile?: string | null;
  /** Rebuild the projections on a scratch database and compare (default true). */
  projections?: boolean;
  /** Events after the last checkpoint from which on that is damage (default: the ledger's signing interval). */
  unsignedLimit?: number;
  /** Checks of what the events cite beside the database (src/modules/checks.ts), in the same snapshot. */
  checks?: readonly LedgerCheck[];
}

export type LedgerCheck = (db: Db) => Damage[];

const MAX_DAMAGE = 20;

/**
 * Streams the whole ledger once, in constant memory: contiguous seq, each hash and link, the
 * Merkle root at every signed checkpoint (from the database and from the plain checkpoint file),
 * the stored head, then the projections against a rebuild — all in one read snapshot, so appends
 * made meanwhile by the service (this may run in a worker beside it) are simply not seen.
 */
export function verifyLedger(db: Db, options: VerifyOptions): VerifyResult {
  // The file before the snapshot: each checkpoint in it was signed after its events committed,
  // so none can lie beyond the snapshot's head unless the ledger really lost its tail.
  const file = readCheckpointFile(
    options.checkpointFile === undefined ? checkpointFileFor(db.path) : options.checkpointFile,
  );
  const wantProjections = options.projections ?? true;
  const run = (scratch: Db | null) => {
    const ownSnapshot = !db.sqlite.inTransaction;
    if (ownSnapshot) db.sqlite.exec('BEGIN');
    try {
      return verifyInSnapshot(db, options, file, scratch);
    } finally {
      if (ownSnapshot) db.sqlite.exec('COMMIT');
    }
  };
  // The scratch database is attached before the snapshot begins (ATTACH is refused inside one).
  return wantProjections ? withAttachedScratch(db, run) : run(null);
}

function verifyInSnapshot(
  db: Db,
  options: VerifyOptions,
  file: CheckpointFile | null,
  scratch: Db | null,
): VerifyResult {
  const damage: Damage[] = [];
  const report = (d: Damage) => {
    if (damage.length < MAX_DAMAGE) damage.push(d);
  };
  const checkpointNotes = loadCheckpointNotes(db, file, report);

  let ledgerId: string | null = null;
  let key: { publicKey: ReturnType<typeof publicKeyFromRaw>; raw: Buffer } | null = null;
  let expected = 1;
  let prev = ZERO_HASH;
  let chainBroken = false;
  const range = new CompactRange();
  const tiles = new TileChecker(db);
  let checkpointsChecked = 0;
  let lastHolding = 0;
  let rewritten = false;

  for (const row of iterateEventRows(db)) {
    if (chainBroken) break;
    if (row.seq !== expected) {
      report({ kind: 'seq_gap', seq: expected, detail: `expected seq ${expected}, found ${row.seq}` });
      chainBroken = true;
      break;
    }
    if (row.seq === 1) {
      const genesis = readGenesis(row);
      if (!genesis) {
        report({
          kind: 'missing_genesis',
          seq: 1,
          detail: 'the first event is not a valid ledger_created event',
        });
        chainBroken = true;
        break;
      }
      ledgerId = genesis.ledgerId;
      key = { publicKey: publicKeyFromRaw(genesis.publicKeyRaw), raw: genesis.publicKeyRaw };
    }
    if (row.prev_hash !== prev) {
      report({
        kind: 'broken_link',
        seq: row.seq,
        detail: `prevHash does not match the hash of seq ${row.seq - 1}`,
      });
      chainBroken = true;
    }
    if (sha256Hex(hashedTextOf(row)) !== row.hash) {
      report({
        kind: 'hash_mismatch',
        seq: row.seq,
        detail: 'the event’s content does not hash to its stored hash',
      });
      chainBroken = true;
    } else if (options.full && !isCanonical(row.data)) {
      report({ kind: 'not_canonical', seq: row.seq, detail: 'data is not RFC 8785 canonical JSON' });
      chainBroken = true;
    }
    const leaf = leafHash(row.hash);
    range.appendLeaf(leaf);
    tiles.pushLeaf(leaf);
    prev = row.hash;
    expected += 1;
    for (const note of checkpointNotes.get(row.seq) ?? []) {
      if (!key || !ledgerId) break;
      checkpointsChecked += 1;
      const opened = openCheckpoint(note, key.publicKey, key.raw);
      if (!opened.ok) {
        report({
          kind: 'checkpoint_invalid',
          seq: row.seq,
          detail: `checkpoint at ${row.seq}: ${opened.reason}`,
        });
      } else if (!matches(opened.checkpoint, ledgerId, row.seq, range.root().toString('hex'), row.hash)) {
        // Every later checkpoint fails too once one does (the hashes chain): report the first only.
        if (!rewritten) {
          rewritten = true;
          report({
            kind: 'checkpoint_mismatch',
            seq: row.seq,
            detail:
              `the chain through seq ${row.seq} does not hash to the signed checkpoint of that size: history was rewritten ` +
              (lastHolding > 0
                ? `between seq ${lastHolding} (the last checkpoint that holds) and seq ${row.seq}`
                : `at or before seq ${row.seq} (no earlier checkpoint holds)`),
            between: { from: lastHolding, to: row.seq },
          });
        }
      } else if (!rewritten) {
        lastHolding = row.seq;
      }
    }
  }
  const events = expected - 1;
  for (const size of checkpointNotes.keys()) {
    if (size > events && !chainBroken) {
      report({
        kind: 'truncated',
        seq: events + 1,
        detail: `a checkpoint was signed at seq ${size}; the ledger ends at ${events}`,
      });
      break;
    }
  }
  if (events === 0) report({ kind: 'missing_genesis', seq: 1, detail: 'the ledger has no events' });
  const signed = Math.max(0, ...[...checkpointNotes.keys()].filter((size) => size <= events));
  const limit = options.unsignedLimit ?? DEFAULT_CHECKPOINT_EVERY;
  if (!chainBroken && events - signed >= limit) {
    report({
      kind: 'unsigned_tail',
      seq: signed + 1,
      detail:
        `events ${signed + 1}–${events} (${events - signed}) are covered by no signed checkpoint, though the service ` +
        `signs one every ${limit} events: either it stopped before signing (start it; it signs within a minute) ` +
        'or checkpoints were removed from both the database and the checkpoint file (compare with an off-site copy of the file)',
      between: { from: signed, to: events },
    });
  }

  const state = db.sqlite.prepare('SELECT head_seq, head_hash FROM ledger_state WHERE id = 1').get() as
    | { head_seq: number; head_hash: string }
    | undefined;
  if (!chainBroken && state && (state.head_seq !== events || state.head_hash !== prev)) {
    report({
      kind: 'state_mismatch',
      seq: Math.min(state.head_seq, events) + 1,
      detail: 'the stored head differs from the chain',
    });
  }

  if (!chainBroken) for (const check of options.checks ?? []) for (const d of check(db)) report(d);
  if (!chainBroken) for (const t of tiles.mismatches()) report({ kind: 'tile_mismatch', ...t });

  const doProjections = scratch !== null && !chainBroken;
  if (scratch) {
    for (const d of rebuildAndCompare(db, scratch, options.projectors)) report(d);
  }
  // By seq; at one seq, the chain's own damage before what the checkpoint copies disagree about.
  const rank = (d: Damage) => DAMAGE_KINDS.indexOf(d.kind);
  damage.sort(
    (a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) || rank(a) - rank(b),
  );
  return {
    ok: damage.length === 0,
    ledgerId,
    events,
    headHash: prev,
    rootHash: range.root().toString('hex'),
    checkpointsChecked,
    projectionsChecked: doProjections,
    firstBad: damage[0] ?? null,
    damage,
  };
}

function matches(c: Checkpoint, ledgerId: string, size: number, root: string, head: string): boolean {
  return (
    c.origin === ledgerOrigin(ledgerId) && c.treeSize === size && c.rootHash === root && c.headHash === head
  );
}

function isCanonical(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

function readGenesis(row: EventRow): { ledgerId: string; publicKeyRaw: Buffer } | null {
  if (row.type !== 'ledger_created') return null;
  try {
    const data = JSON.parse(row.data) as { ledgerId?: unknown; checkpointKey?: { publicKey?: unknown } };
    const pk = data.checkpointKey?.publicKey;
    if (typeof data.ledgerId !== 'string' || typeof pk !== 'string') return null;
    const raw = Buffer.from(pk, 'base64');
    return raw.length === 32 ? { ledgerId: data.ledgerId, publicKeyRaw: raw } : null;
  } catch {
    return null;
  }
}

interface CheckpointFile {
  path: string;
  /** Its lines, or null when the file does not exist. */
  lines: string[] | null;
}

function readCheckpointFile(path: string | null): CheckpointFile | null {
  if (!path) return null;
  return { path, lines: existsSync(path) ? readFileSync(path, 'utf8').split('\n') : null };
}

/**
 * Checkpoint notes by tree size, from the table and from the plain file, and every way the two
 * copies disagree: the file gone, a line unreadable, a checkpoint in one copy only, two different
 * notes for one size. Both notes of a size are checked against the chain.
 */
function loadCheckpointNotes(
  db: Db,
  file: CheckpointFile | null,
  report: (d: Damage) => void,
): Map<number, string[]> {
  const inDb = new Map<number, string>();
  for (const row of db.sqlite
    .prepare('SELECT tree_size, note FROM checkpoints ORDER BY tree_size')
    .iterate() as IterableIterator<Pick<CheckpointRow, 'tree_size' | 'note'>>) {
    inDb.set(row.tree_size, row.note);
  }
  const inFile = new Map<number, string>();
  if (file?.lines) {
    file.lines.forEach((text, i) => {
      if (!text.trim()) return;
      const parsed = parseCheckpointLine(text);
      if (!parsed) {
        report({
          kind: 'checkpoint_line_unreadable',
          seq: null,
          line: i + 1,
          detail: `line ${i + 1} of ${file.path} is not a checkpoint line ({"treeSize", "note"})`,
        });
      } else if (!inFile.has(parsed.treeSize)) {
        inFile.set(parsed.treeSize, parsed.note);
      }
    });
  }
  if (file && !file.lines && inDb.size > 0) {
    const first = inDb.keys().next().value as number;
    report({
      kind: 'checkpoint_file_missing',
      seq: first,
      detail: `the checkpoint file ${file.path} is missing; the database holds ${inDb.size} checkpoint(s) from seq ${first}`,
    });
  }
  const notes = new Map<number, string[]>();
  for (const [size, note] of inDb) notes.set(size, [note]);
  if (file?.lines) {
    for (const size of inDb.keys()) {
      if (!inFile.has(size)) {
        report({
          kind: 'checkpoint_missing_from_file',
          seq: size,
          detail: `the database holds a checkpoint at seq ${size} that the checkpoint file does not`,
        });
      }
    }
    for (const [size, note] of inFile) {
      const known = inDb.get(size);
      if (known === undefined) {
        report({
          kind: 'checkpoint_missing_from_db',
          seq: size,
          detail: `the checkpoint file holds a checkpoint at seq ${size} that the database does not`,
        });
        notes.set(size, [note]);
      } else if (known !== note) {
        report({
          kind: 'checkpoint_copies_differ',
          seq: size,
          detail: `the checkpoint file and the database hold different checkpoints at seq ${size}`,
        });
        notes.set(size, [known, note]);
      }
    }
  }
  return new Map([...notes.entries()].sort((a, b) => a[0] - b[0]));
}

function parseCheckpointLine(text: string): { treeSize: number; note: string } | null {
  try {
    const parsed = JSON.parse(text) as { treeSize?: unknown; note?: unknown };
    return Number.isSafeInteger(parsed.treeSize) && typeof parsed.note === 'string'
      ? { treeSize: parsed.treeSize as number, note: parsed.note }
      : null;
  } catch {
    return null;
  }
}

/** Replays every event through the projectors into a scratch database, in one pass. */
export function rebuildInto(db: Db, scratch: Db, projectors: readonly Projector[]): number {
  const byType = new Map<string, Projector[]>();
  for (const p of projectors) for (const t of p.types) byType.set(t, [...(byType.get(t) ?? []), p]);
  let n = 0;
  scratch.sqlite.transaction(() => {
    for (const row of iterateEventRows(db)) {
      const handlers = byType.get(row.type);
      n += 1;
      if (!handlers) continue;
      const event = eventOf(row);
      for (const p of handlers) p.apply(scratch, event);
    }
  })();
  return n;
}

export function withScratchDb<T>(fn: (scratch: Db, path: string) => T): T {
  const path = join(tmpdir(), `custody-rebuild-${randomUUID()}.db`);
  const scratch = openDb(path, { migrate: true });
  scratch.sqlite.pragma('synchronous = OFF');
  scratch.sqlite.pragma('foreign_keys = OFF');
  try {
    return fn(scratch, path);
  } finally {
    scratch.sqlite.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

/** A scratch database with the projection schema, attached to `db` as `rebuilt` while `fn` runs. */
function withAttachedScratch<T>(db: Db, fn: (scratch: Db) => T): T {
  return withScratchDb((scratch, path) => {
    db.sqlite.prepare('ATTACH DATABASE ? AS rebuilt').run(path);
    try {
      return fn(scratch);
    } finally {
      db.sqlite.prepare('DETACH DATABASE rebuilt').run();
    }
  });
}

/** Rebuilds the projections on a scratch database and lists every table that differs. */
export function compareProjections(db: Db, projectors: readonly Projector[]): Damage[] {
  return withAttachedScratch(db, (scratch) => rebuildAndCompare(db, scratch, projectors));
}

function rebuildAndCompare(db: Db, scratch: Db, projectors: readonly Projector[]): Damage[] {
  rebuildInto(db, scratch, projectors);
  scratch.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const found: Damage[] = [];
  const compared = projectors.flatMap((p) => [
    ...p.tables.map((table) => ({ table, columns: '*' })),
    // A derived table's rowid is what ties it to its rows (an index's document ids).
    ...(p.derived ?? []).map((table) => ({ table, columns: 'rowid, *' })),
  ]);
  for (const { table, columns } of compared) {
    const select = (schema: string) => `SELECT ${columns} FROM ${schema}."${table}"`;
    const diff = db.sqlite
      .prepare(
        `SELECT (SELECT count(*) FROM (${select('main')} EXCEPT ${select('rebuilt')})) AS extra,
                (SELECT count(*) FROM (${select('rebuilt')} EXCEPT ${select('main')})) AS missing`,
      )
      .get() as { extra: number; missing: number };
    if (diff.extra || diff.missing) {
      found.push({
        kind: 'projection_mismatch',
        seq: null,
        detail: `table ${table}: ${diff.extra} stored row(s) not in the rebuild, ${diff.missing} rebuilt row(s) not stored`,
      });
    }
  }
  return found;
}
