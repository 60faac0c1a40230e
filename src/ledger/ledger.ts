import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import { AppError } from '../lib/errors';
import { canonicalEventText, canonicalJson } from './canonical';
import { type Checkpoint, ledgerOrigin, signCheckpoint } from './checkpoint';
import { sha256Hex, ZERO_HASH } from './hash';
import { CompactRange } from './merkle';
import { noteKeyId, type Signer } from './signer';
import { rebuildTiles, TileStore } from './tiles';
import { type AppendInput, type LedgerEvent, type Projector, SYSTEM_ACTOR, type Tx } from './types';

export const FORMAT_VERSION = 1;

export type Clock = () => Date;

export interface LedgerOptions {
  clock?: Clock;
  signer: Signer;
  projectors: readonly Projector[];
  /** Where signed checkpoints are also appended, one JSON line each; null for none. */
  checkpointFile?: string | null;
  /** Sign a checkpoint once this many events were appended since the last one. */
  checkpointEvery?: number;
  /** Sign a checkpoint this often when the ledger changed; 0 disables the timer. */
  checkpointIntervalMs?: number;
}

interface Head {
  seq: number;
  hash: string;
  range: CompactRange;
}

interface Pending {
  work: (tx: Tx) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** The service signs a checkpoint once this many events are unsigned (and every minute when moved). */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

export function checkpointFileFor(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}.checkpoints`;
}

/**
 * The only writer. Work is queued and flushed by one `setImmediate` into one durable transaction
 * (group commit); each unit runs in its own savepoint, so a refused unit rolls back alone and the
 * rest of its batch commits. `write` resolves only after the transaction holding it has committed.
 */
export class Ledger {
  readonly db: Db;
  readonly clock: Clock;
  readonly signer: Signer;
  readonly ledgerId: string;
  readonly origin: string;
  private head: Head;
  private readonly projectorsByType = new Map<string, Projector[]>();
  private readonly queue: Pending[] = [];
  private flushScheduled = false;
  private readonly insertEvent: Statement;
  private readonly saveState: Statement;
  private readonly readState: Statement;
  private dataVersion = -1;
  private readonly tiles: TileStore;
  private lastCheckpoint: Checkpoint | null;
  private readonly checkpointFile: string | null;
  private readonly checkpointEvery: number;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(db: Db, options: LedgerOptions) {
    this.db = db;
    this.clock = options.clock ?? (() => new Date());
    this.signer = options.signer;
    this.checkpointFile =
      options.checkpointFile === undefined ? checkpointFileFor(db.path) : options.checkpointFile;
    this.checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    for (const p of options.projectors) {
      for (const t of p.types) {
        const list = this.projectorsByType.get(t) ?? [];
        list.push(p);
        this.projectorsByType.set(t, list);
      }
    }
    this.insertEvent = db.sqlite.prepare(
      `INSERT INTO events (seq, type, entity_type, entity_id, occurred_at, recorded_at, actor, data, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.saveState = db.sqlite.prepare(
      `INSERT INTO ledger_state (id, ledger_id, head_seq, head_hash, frontier) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash,
       frontier = excluded.frontier`,
    );
    this.readState = db.sqlite.prepare('SELECT * FROM ledger_state WHERE id = 1');
    this.tiles = new TileStore(db);
    const state = this.readState.get() as
      | { ledger_id: string; head_seq: number; head_hash: string; frontier: string }
      | undefined;
    if (state) {
      this.ledgerId = state.ledger_id;
      this.head = {
        seq: state.head_seq,
        hash: state.head_hash,
        range: CompactRange.fromJson(state.head_seq, state.frontier),
      };
      this.checkKey();
      // A ledger from before the tiles existed (or whose tiles were lost): rebuild them once.
      if (!this.tiles.inStep(state.head_seq)) rebuildTiles(db);
    } else {
      this.ledgerId = randomUUID();
      this.head = { seq: 0, hash: ZERO_HASH, range: new CompactRange() };
    }
    this.origin = ledgerOrigin(this.ledgerId);
    if (!state) this.create();
    this.lastCheckpoint = this.readLastCheckpoint();
    this.completeCheckpointFile();
    const interval = options.checkpointIntervalMs ?? 60_000;
    if (interval > 0) {
      this.timer = setInterval(() => this.checkpointIfMoved(), interval);
      this.timer.unref();
    }
  }

  get headSeq(): number {
    this.catchUp();
    return this.head.seq;
  }

  get headHash(): string {
    this.catchUp();
    return this.head.hash;
  }

  get rootHash(): string {
    this.catchUp();
    return this.head.range.root().toString('hex');
  }

  /**
   * The head and the latest checkpoint as stored, when another connection (the CLI beside the
   * running service) committed since we last looked: SQLite's data_version tells, for the price of
   * a pragma. Inside a transaction the head is ours to move, so it is left alone.
   */
  private catchUp(): void {
    if (this.db.sqlite.inTransaction) return;
    const version = this.db.sqlite.pragma('data_version', { simple: true }) as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    this.syncHead();
    this.lastCheckpoint = this.readLastCheckpoint();
  }

  get keyId(): string {
    return noteKeyId(this.origin, this.signer.publicKeyRaw).toString('hex');
  }

  /** Queues `work` for the next group commit; resolves with its result once committed. */
  write<T>(work: (tx: Tx) => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('ledger is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs `work` in a transaction of its own, now (CLI, demo, bulk import). */
  writeNow<T>(work: (tx: Tx) => T): T {
    const before = this.snapshot();
    try {
      const result = this.db.sqlite
        .transaction(() => {
          this.syncHead();
          const r = work(this.tx());
          this.persistHead();
          return r;
        })
        .immediate();
      this.afterCommit();
      return result;
    } catch (err) {
      this.head = before;
      throw err;
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue.splice(0);
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const before = this.snapshot();
    try {
      this.db.sqlite
        .transaction(() => {
          this.syncHead();
          for (const item of batch) {
            const snap = this.snapshot();
            try {
              // A nested better-sqlite3 transaction is a savepoint: a refusal undoes only this unit.
              const value = this.db.sqlite.transaction(() => item.work(this.tx()))();
              outcomes.push({ ok: true, value });
            } catch (err) {
              this.head = snap;
              outcomes.push({ ok: false, value: err });
            }
          }
          this.persistHead();
        })
        .immediate();
    } catch (err) {
      this.head = before;
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.value);
    });
    this.afterCommit();
  }

  private tx(): Tx {
    const now = this.clock();
    return { db: this.db, now, append: (input) => this.appendOne(input, now) };
  }

  private appendOne(input: AppendInput, now: Date): LedgerEvent {
    const recordedAt = now.toISOString();
    const seq = this.head.seq + 1;
    const envelope = {
      seq,
      type: input.type,
      entityType: input.entityType,
      entityId: input.entityId,
      occurredAt: input.occurredAt ?? recordedAt,
      recordedAt,
      actor: input.actor,
      prevHash: this.head.hash,
    };
    const data = canonicalData(input.data);
    const hash = sha256Hex(canonicalEventText(envelope, data));
    this.insertEvent.run(
      seq,
      envelope.type,
      envelope.entityType,
      envelope.entityId,
      envelope.occurredAt,
      recordedAt,
      envelope.actor,
      data,
      envelope.prevHash,
      hash,
    );
    // In place: a unit's snapshot holds its own copy of the range (see snapshot()).
    this.head.range.appendEventHash(hash);
    this.head = { seq, hash, range: this.head.range };
    this.tiles.afterAppend(seq);
    const event: LedgerEvent = { ...envelope, data: input.data, hash };
    for (const p of this.projectorsByType.get(event.type) ?? []) p.apply(this.db, event);
    return event;
  }

  /**
   * Another process (the CLI beside a running service) may have appended since our last commit;
   * inside the write lock, catch up from the stored head before appending.
   */
  private syncHead(): void {
    const state = this.readState.get() as
      | { head_seq: number; head_hash: string; frontier: string }
      | undefined;
    if (state && state.head_seq !== this.head.seq) {
      this.head = {
        seq: state.head_seq,
        hash: state.head_hash,
        range: CompactRange.fromJson(state.head_seq, state.frontier),
      };
    }
  }

  /** The head before a unit of work, to restore if it is refused; O(log n) to take. */
  private snapshot(): Head {
    return { ...this.head, range: this.head.range.clone() };
  }

  private persistHead(): void {
    this.saveState.run(this.ledgerId, this.head.seq, this.head.hash, this.head.range.toJson());
  }

  private create(): void {
    this.writeNow((tx) =>
      tx.append({
        type: 'ledger_created',
        entityType: 'ledger',
        entityId: this.ledgerId,
        actor: SYSTEM_ACTOR,
        data: {
          ledgerId: this.ledgerId,
          formatVersion: FORMAT_VERSION,
          checkpointKey: {
            algorithm: 'Ed25519',
            keyName: this.origin,
            keyId: this.keyId,
            publicKey: this.signer.publicKeyRaw.toString('base64'),
          },
        },
      }),
    );
  }

  /** Refuses to run with a key other than the one the chain names: its checkpoints would not verify. */
  private checkKey(): void {
    const row = this.db.sqlite
      .prepare(`SELECT data FROM events WHERE seq = 1 AND type = 'ledger_created'`)
      .get() as { data: string } | undefined;
    if (!row) return;
    const named = (JSON.parse(row.data) as { checkpointKey?: { publicKey?: string } }).checkpointKey
      ?.publicKey;
    if (named !== this.signer.publicKeyRaw.toString('base64')) {
      throw new Error(
        'the checkpoint key (CUSTODY_KEY) is not the key this ledger was created with; restore the original key file',
      );
    }
  }

  private afterCommit(): void {
    const last = this.lastCheckpoint?.treeSize ?? 0;
    if (this.head.seq - last >= this.checkpointEvery) this.checkpoint();
  }

  private checkpointIfMoved(): void {
    if (this.closed) return;
    if ((this.lastCheckpoint?.treeSize ?? 0) !== this.head.seq) this.checkpoint();
  }

  latestCheckpoint(): Checkpoint | null {
    this.catchUp();
    return this.lastCheckpoint;
  }

  /** The checkpoint at the current head, signing a new one if the ledger moved since the last. */
  checkpoint(): Checkpoint {
    if (this.lastCheckpoint && this.lastCheckpoint.treeSize === this.head.seq) return this.lastCheckpoint;
    const cp = signCheckpoint(
      {
        origin: this.origin,
        treeSize: this.head.seq,
        rootHash: this.rootHash,
        headHash: this.head.hash,
        signedAt: this.clock().toISOString(),
      },
      this.signer,
    );
    // Another process may have signed this size already: keep the first, so file and table agree.
    const inserted = this.db.sqlite
      .prepare(
        'INSERT OR IGNORE INTO checkpoints (tree_size, root_hash, head_hash, signed_at, note) VALUES (?, ?, ?, ?, ?)',
      )
      .run(cp.treeSize, cp.rootHash, cp.headHash, cp.signedAt, cp.note);
    if (inserted.changes === 0) {
      this.lastCheckpoint = this.readLastCheckpoint();
      return this.lastCheckpoint ?? cp;
    }
    if (this.checkpointFile)
      appendDurably(this.checkpointFile, `${JSON.stringify({ treeSize: cp.treeSize, note: cp.note })}\n`);
    this.lastCheckpoint = cp;
    return cp;
  }

  /**
   * A crash between the table's insert and the file's append leaves the file one line short of
   * the table: append that line. Only the latest checkpoint is restored (the one crash window); a
   * file that is gone, or older lines missing, stay so for `verify` to report.
   */
  private completeCheckpointFile(): void {
    const cp = this.lastCheckpoint;
    const file = this.checkpointFile;
    if (!cp || !file || !existsSync(file)) return;
    const last = readFileSync(file, 'utf8').trimEnd().split('\n').at(-1) ?? '';
    let size = 0;
    try {
      size = Number((JSON.parse(last) as { treeSize?: unknown }).treeSize) || 0;
    } catch {
      // An unreadable last line is verify's to report; the checkpoint still goes after it.
    }
    if (size < cp.treeSize) {
      appendDurably(file, `${JSON.stringify({ treeSize: cp.treeSize, note: cp.note })}\n`);
    }
  }

  private readLastCheckpoint(): Checkpoint | null {
    const row = this.db.sqlite.prepare('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1').get() as
      | CheckpointRow
      | undefined;
    return row ? checkpointFromRow(row, this.origin) : null;
  }

  /** Waits for queued work, then stops the checkpoint timer. The database stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queue.length > 0 || this.flushScheduled) await new Promise((r) => setImmediate(r));
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }
}

export interface CheckpointRow {
  tree_size: number;
  root_hash: string;
  head_hash: string;
  signed_at: string;
  note: string;
}

export function checkpointFromRow(row: CheckpointRow, origin: string): Checkpoint {
  return {
    origin,
    treeSize: row.tree_size,
    rootHash: row.root_hash,
    headHash: row.head_hash,
    signedAt: row.signed_at,
    note: row.note,
  };
}

/**
 * The RFC 8785 text of an event's data. The edge already refuses what has none (lone surrogates in
 * a JSON body); should anything else slip through, the unit is refused as bad input, never a 500.
 */
function canonicalData(data: unknown): string {
  try {
    return canonicalJson(data);
  } catch (err) {
    throw new AppError('invalid_json', `the event cannot be recorded: ${(err as Error).message}`);
  }
}

function appendDurably(path: string, text: string): void {
  const fd = openSync(path, 'a', 0o644);
  try {
    appendFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
