import { deflateSync, inflateSync } from 'node:zlib';
import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { canonicalJson } from '../../ledger/canonical';
import type { Checkpoint } from '../../ledger/checkpoint';
import { sha256Hex } from '../../ledger/hash';
import { type CheckpointRow, checkpointFromRow, type Ledger } from '../../ledger/ledger';
import type { Projector } from '../../ledger/types';
import { AppError } from '../../lib/errors';

/** Who a report is made for: the requester, named and with the role they had when asking. */
export interface Requester {
  id: string;
  name: string;
  role: string;
}

/** A report's fingerprint: lowercase hex SHA-256 of its payload's RFC 8785 canonical JSON. */
export function fingerprintOf(canonicalPayload: string | Buffer): string {
  return sha256Hex(
    typeof canonicalPayload === 'string' ? Buffer.from(canonicalPayload, 'utf8') : canonicalPayload,
  );
}

/** The canonical payload text and its fingerprint. */
export function sealPayload(payload: unknown): { canonical: string; fingerprint: string } {
  const canonical = canonicalJson(payload);
  return { canonical, fingerprint: fingerprintOf(canonical) };
}

/**
 * The checkpoint a report is made from. With `requested` (a tree size), that signed checkpoint, which
 * must include every event the report shows (`coveredSeq`). Otherwise the latest signed checkpoint
 * when it already includes them — so asking again gives the same report, byte for byte — else a new
 * checkpoint of the head.
 */
export function reportCheckpoint(ledger: Ledger, coveredSeq: number, requested?: number): Checkpoint {
  if (requested !== undefined) {
    const row = prepared(ledger.db, 'SELECT * FROM checkpoints WHERE tree_size = ?').get(requested) as
      | CheckpointRow
      | undefined;
    if (!row) {
      throw new AppError('checkpoint_not_found', `there is no signed checkpoint of tree size ${requested}`, {
        checkpoint: requested,
      });
    }
    if (row.tree_size < coveredSeq) {
      throw new AppError(
        'checkpoint_too_old',
        `checkpoint ${requested} predates event ${coveredSeq} that this report shows; use a later checkpoint or none`,
        { checkpoint: requested, needs: coveredSeq },
      );
    }
    return checkpointFromRow(row, ledger.origin);
  }
  const latest = ledger.latestCheckpoint();
  if (latest && latest.treeSize >= coveredSeq) return latest;
  return ledger.checkpoint();
}

export interface ReportRecord {
  kind: string;
  parameters: Record<string, unknown>;
  fingerprint: string;
  checkpoint: Checkpoint;
  requestedBy: Requester;
}

/**
 * Records that a report was made: a `report_made` event with the requester as actor (the ledger
 * keeping its own log, not a write by them), and the payload behind the fingerprint, stored once.
 * Resolves with the event's seq once committed.
 */
export function recordReport(
  ledger: Ledger,
  record: ReportRecord,
  payload: string | { deflated: Buffer; size: number },
): Promise<number> {
  const { deflated, size } =
    typeof payload === 'string'
      ? { deflated: deflateSync(Buffer.from(payload, 'utf8')), size: Buffer.byteLength(payload) }
      : payload;
  return ledger.write((tx) => {
    const event = tx.append({
      type: 'report_made',
      entityType: 'report',
      entityId: record.fingerprint,
      actor: record.requestedBy.id,
      data: {
        fingerprint: record.fingerprint,
        kind: record.kind,
        parameters: record.parameters,
        checkpoint: { treeSize: record.checkpoint.treeSize, rootHash: record.checkpoint.rootHash },
        requestedBy: record.requestedBy,
      },
    });
    prepared(
      tx.db,
      'INSERT OR IGNORE INTO report_payloads (fingerprint, deflated, size) VALUES (?, ?, ?)',
    ).run(record.fingerprint, deflated, size);
    return event.seq;
  });
}

/** report_made → the reports table (first and last time made, how often). */
export const reportsProjector: Projector = {
  name: 'reports',
  tables: ['reports'],
  types: ['report_made'],
  apply(db, event) {
    const d = event.data as {
      fingerprint: string;
      kind: string;
      parameters: unknown;
      checkpoint: { treeSize: number; rootHash: string };
    };
    prepared(
      db,
      `INSERT INTO reports (fingerprint, kind, parameters, tree_size, root_hash, first_seq, last_seq, times_made)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT(fingerprint) DO UPDATE SET last_seq = excluded.last_seq, times_made = times_made + 1`,
    ).run(
      d.fingerprint,
      d.kind,
      canonicalJson(d.parameters),
      d.checkpoint.treeSize,
      d.checkpoint.rootHash,
      event.seq,
      event.seq,
    );
  },
};

interface ReportRow {
  fingerprint: string;
  kind: string;
  parameters: string;
  tree_size: number;
  root_hash: string;
  first_seq: number;
  last_seq: number;
  times_made: number;
}

/** What a fingerprint's report was made of, its requests, and its payload (parsed); 404 when unknown. */
export function describeReport(db: Db, fingerprint: string) {
  const row = prepared(db, 'SELECT * FROM reports WHERE fingerprint = ?').get(fingerprint) as
    | ReportRow
    | undefined;
  if (!row)
    throw new AppError('report_not_found', `no report has the fingerprint ${fingerprint}`, { fingerprint });
  const requests = (
    prepared(
      db,
      `SELECT seq, recorded_at AS recordedAt, data FROM events WHERE entity_type = 'report' AND entity_id = ? ORDER BY seq`,
    ).all(fingerprint) as { seq: number; recordedAt: string; data: string }[]
  ).map((e) => ({
    seq: e.seq,
    recordedAt: e.recordedAt,
    requestedBy: (JSON.parse(e.data) as { requestedBy: Requester }).requestedBy,
  }));
  const stored = prepared(db, 'SELECT deflated FROM report_payloads WHERE fingerprint = ?').get(
    fingerprint,
  ) as { deflated: Buffer } | undefined;
  let payload: unknown = null;
  if (stored) {
    const bytes = inflateSync(stored.deflated);
    // Content-addressed: what is served is what the fingerprint names, or nothing.
    if (fingerprintOf(bytes) === fingerprint) payload = JSON.parse(bytes.toString('utf8'));
  }
  return {
    fingerprint,
    kind: row.kind,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    checkpoint: { treeSize: row.tree_size, rootHash: row.root_hash },
    timesMade: row.times_made,
    requests,
    payload,
  };
}
