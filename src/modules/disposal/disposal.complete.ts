import { prepared } from '../../db/statements';
import type { Tx } from '../../ledger/types';
import { parseEvidenceNo } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import { checkOccurredAt } from '../../lib/time';
import type { z } from '../../lib/zod';
import { appendItemEvent, recordEvent } from '../custody/custody.service';
import { requireDocuments } from '../documents/documents.service';
import { findItemRow } from '../items/items.service';
import type { CompleteBody, ResolveBody, ScanBody } from './disposal.contract';
import { type Disposition, TERMINAL_EVENT } from './disposal.enums';
import {
  type Actor,
  batchItems,
  type DisposalView,
  getDisposal,
  getDisposalState,
  openDisposalOf,
  requireOtherPerson,
  requireStatus,
} from './disposal.service';
import { checkWitnesses, type Witness } from './disposal.witnesses';

interface BatchRow {
  outcome: string;
  scanned_seq: number | null;
  scanned_at: string | null;
  resolution: string | null;
}

function batchRow(tx: Tx, disposalId: string, evidenceNo: string): BatchRow | null {
  return (
    (prepared(
      tx.db,
      'SELECT outcome, scanned_seq, scanned_at, resolution FROM disposal_items WHERE disposal_id = ? AND evidence_no = ?',
    ).get(disposalId, evidenceNo) as BatchRow | undefined) ?? null
  );
}

function fieldError(path: string, message: string): AppError {
  return new AppError('validation_failed', `body ${path}: ${message}`, {
    errors: [{ in: 'body', path, message, issue: 'custom' }],
  });
}

/**
 * One label scanned at the disposal site: the item must be in this approved batch and not scanned
 * before. Answers what the item is, so the operator can see it matches what is in hand.
 */
export function scanItem(tx: Tx, disposalId: string, input: z.infer<typeof ScanBody>, actor: Actor) {
  const d = getDisposalState(tx.db, disposalId);
  requireStatus(d, ['approved'], 'disposal_not_approved', 'scanned');
  checkOccurredAt(input.occurredAt, tx.now);
  const ev = parseEvidenceNo(input.code);
  const row = batchRow(tx, d.id, ev.compact);
  if (!row) {
    const item = findItemRow(tx.db, ev.compact);
    const elsewhere = item ? openDisposalOf(tx.db, ev.compact) : null;
    throw new AppError(
      'item_not_in_disposal',
      item
        ? `${ev.printed} is not in disposal ${d.id}${elsewhere ? ` (it is in disposal ${elsewhere})` : ''}: set it aside`
        : `${ev.printed} is not an item of this ledger: set it aside`,
      { evidenceNo: ev.compact, known: item !== null, disposalId: elsewhere },
    );
  }
  if (row.scanned_seq !== null) {
    throw new AppError(
      'duplicate_scan',
      `${ev.printed} was already scanned (seq ${row.scanned_seq}, ${row.scanned_at})`,
      {
        evidenceNo: ev.compact,
        scannedSeq: row.scanned_seq,
        scannedAt: row.scanned_at,
      },
    );
  }
  if (input.proceedsMinor !== undefined && d.disposition !== 'sell') {
    throw fieldError('proceedsMinor', 'proceeds go with a sale only');
  }
  const event = tx.append({
    type: 'disposal_item_scanned',
    entityType: 'disposal',
    entityId: d.id,
    actor: actor.id,
    occurredAt: input.occurredAt,
    data: {
      evidenceNo: ev.compact,
      ...(input.proceedsMinor === undefined ? {} : { proceedsMinor: input.proceedsMinor }),
    },
  });
  const item = findItemRow(tx.db, ev.compact)!;
  const scanned = d.scannedCount + 1;
  return {
    seq: event.seq,
    evidenceNo: ev.compact,
    printed: ev.printed,
    category: item.category,
    make: item.make,
    model: item.model,
    serialNumber: item.serial_number,
    scanned,
    remaining: d.itemCount - scanned,
  };
}

type CompleteInput = z.infer<typeof CompleteBody>;

/** What each disposition must be told at completion (who bought, who received). */
const REQUIRED: Record<Disposition, 'sale' | 'owner' | 'agency' | null> = {
  destroy: null,
  sell: 'sale',
  release_to_owner: 'owner',
  transfer_to_agency: 'agency',
};

function nextCertificateNo(tx: Tx): string {
  const year = tx.now.getUTCFullYear();
  const row = prepared(tx.db, `SELECT count(*) AS n FROM disposals WHERE certificate_no LIKE ?`).get(
    `DC-${year}-%`,
  ) as {
    n: number;
  };
  return `DC-${year}-${String(row.n + 1).padStart(5, '0')}`;
}

function witnessRef(w: Witness) {
  return w.kind === 'user'
    ? { userId: w.userId, name: w.name }
    : { name: w.name, title: w.title, agency: w.agency };
}

/**
 * Closes an approved batch: witnesses checked, then in one transaction disposal_completed, each
 * scanned item's terminal event, and for each item not scanned a reported_missing event with a
 * `missing_at_disposal` discrepancy that a supervisor resolves later.
 */
export function completeDisposal(
  tx: Tx,
  disposalId: string,
  input: CompleteInput,
  actor: Actor,
): DisposalView {
  const d = getDisposalState(tx.db, disposalId);
  requireStatus(d, ['approved'], 'disposal_not_approved', 'completed');
  requireOtherPerson(d, actor, 'complete');
  checkOccurredAt(input.occurredAt, tx.now);
  const needed = REQUIRED[d.disposition];
  if (needed && input[needed] === undefined)
    throw fieldError(needed, `a ${d.disposition.replace(/_/g, ' ')} needs "${needed}"`);
  for (const other of ['sale', 'owner', 'agency'] as const) {
    if (other !== needed && input[other] !== undefined) {
      throw fieldError(other, `"${other}" does not go with a ${d.disposition.replace(/_/g, ' ')}`);
    }
  }
  const documents = requireDocuments(tx.db, input.documents);
  const items = batchItems(tx.db, d.id);
  const scanned = items.filter((i) => i.scanned_seq !== null);
  const missing = items.filter((i) => i.scanned_seq === null).map((i) => i.evidence_no);
  if (scanned.length === 0) {
    throw new AppError(
      'nothing_scanned',
      `no item of disposal ${d.id} was scanned: scan each item as it is disposed of`,
      {
        disposalId: d.id,
      },
    );
  }
  const witnesses = checkWitnesses(
    tx.db,
    input.witnesses,
    items.map((i) => i.evidence_no),
  );
  const certificateNo = nextCertificateNo(tx);
  const { witnesses: _w, documents: _d, occurredAt, ...facts } = input;
  const completed = tx.append({
    type: 'disposal_completed',
    entityType: 'disposal',
    entityId: d.id,
    actor: actor.id,
    occurredAt,
    data: {
      ...facts,
      certificateNo,
      disposition: d.disposition,
      witnesses,
      ...(documents.length > 0 ? { documents } : {}),
      disposed: scanned.length,
      missing,
    },
  });
  const common = { disposalId: d.id, certificateNo };
  for (const item of scanned) {
    const type = TERMINAL_EVENT[d.disposition];
    const data =
      type === 'destroyed'
        ? { ...common, method: input.method, place: input.place, witnesses: witnesses.map(witnessRef) }
        : type === 'sold'
          ? {
              ...common,
              buyer: input.sale!.buyer,
              ...(input.sale!.buyerReference ? { buyerReference: input.sale!.buyerReference } : {}),
              currency: input.sale!.proceeds.currency,
              ...(item.proceeds_minor === null ? {} : { proceedsMinor: item.proceeds_minor }),
            }
          : type === 'released'
            ? { ...common, owner: input.owner! }
            : { ...common, agency: input.agency! };
    appendItemEvent({
      tx,
      evidenceNo: item.evidence_no,
      type,
      actor,
      data,
      occurredAt: completed.occurredAt,
    });
  }
  for (const evidenceNo of missing) {
    appendItemEvent({
      tx,
      evidenceNo,
      type: 'reported_missing',
      actor,
      data: { ...common, reason: 'missing_at_disposal' },
      occurredAt: completed.occurredAt,
    });
  }
  return getDisposal(tx.db, d.id);
}

/**
 * A supervisor resolves an item missing at disposal: found (received back at a location, to be
 * disposed of by a new batch) or written off with a reason.
 */
export function resolveDiscrepancy(
  tx: Tx,
  disposalId: string,
  evidenceNoText: string,
  input: z.infer<typeof ResolveBody>,
  actor: Actor,
) {
  const d = getDisposalState(tx.db, disposalId);
  const ev = parseEvidenceNo(evidenceNoText);
  const row = batchRow(tx, d.id, ev.compact);
  if (row?.outcome !== 'missing_at_disposal') {
    throw new AppError('discrepancy_not_found', `${ev.printed} is not missing at disposal ${d.id}`, {
      disposalId: d.id,
      evidenceNo: ev.compact,
    });
  }
  if (row.resolution !== null) {
    throw new AppError(
      'discrepancy_resolved',
      `the discrepancy of ${ev.printed} was already resolved (${row.resolution})`,
      {
        disposalId: d.id,
        evidenceNo: ev.compact,
        resolution: row.resolution,
      },
    );
  }
  tx.append({
    type: 'disposal_discrepancy_resolved',
    entityType: 'disposal',
    entityId: d.id,
    actor: actor.id,
    data: {
      evidenceNo: ev.compact,
      resolution: input.resolution,
      reason: input.reason,
      ...(input.locationCode ? { locationCode: input.locationCode } : {}),
    },
  });
  if (input.resolution === 'found') {
    recordEvent(
      tx,
      ev.compact,
      { type: 'received', locationCode: input.locationCode!, condition: `found after disposal ${d.id}` },
      actor,
    );
  }
  return getDisposal(tx.db, d.id);
}
