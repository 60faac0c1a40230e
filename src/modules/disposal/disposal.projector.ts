import { prepared } from '../../db/statements';
import type { LedgerEvent, Projector } from '../../ledger/types';

export const DISPOSAL_EVENTS = [
  'disposal_proposed',
  'disposal_approved',
  'disposal_rejected',
  'disposal_cancelled',
  'disposal_item_scanned',
  'disposal_completed',
  'disposal_discrepancy_resolved',
] as const;
export type DisposalEventType = (typeof DISPOSAL_EVENTS)[number];

interface Proposed {
  disposition: string;
  authority: { kind: string; number: string; date: string; issuer: string };
  documents?: string[];
  items: string[];
  caseId?: string;
}

/** Keeps `disposals` and `disposal_items` in step with the disposal_* events (entity `disposal`). */
export const disposalsProjector: Projector = {
  name: 'disposals',
  tables: ['disposals', 'disposal_items'],
  types: DISPOSAL_EVENTS,
  apply(db, event) {
    const id = event.entityId;
    const touch = (set: string, params: Record<string, unknown> = {}) =>
      prepared(db, `UPDATE disposals SET ${set}, last_seq = @seq WHERE id = @id`).run({
        ...params,
        seq: event.seq,
        id,
      });
    switch (event.type as DisposalEventType) {
      case 'disposal_proposed':
        return propose(db, event);
      case 'disposal_approved':
      case 'disposal_rejected':
      case 'disposal_cancelled': {
        const d = event.data as { reason?: string; note?: string };
        const status = event.type.slice('disposal_'.length);
        touch(
          'status = @status, decided_by = @by, decided_at = @at, decided_seq = @seq, decision_reason = @reason',
          {
            status,
            by: event.actor,
            at: event.recordedAt,
            reason: d.reason ?? d.note ?? null,
          },
        );
        return;
      }
      case 'disposal_item_scanned': {
        const d = event.data as { evidenceNo: string; proceedsMinor?: number };
        prepared(
          db,
          `UPDATE disposal_items SET outcome = 'scanned', scanned_seq = ?, scanned_by = ?, scanned_at = ?, proceeds_minor = ?
           WHERE disposal_id = ? AND evidence_no = ?`,
        ).run(event.seq, event.actor, event.occurredAt, d.proceedsMinor ?? null, id, d.evidenceNo);
        touch('scanned_count = scanned_count + 1');
        return;
      }
      case 'disposal_completed': {
        const d = event.data as { certificateNo: string; missing: string[] };
        prepared(
          db,
          `UPDATE disposal_items SET outcome = 'disposed' WHERE disposal_id = ? AND outcome = 'scanned'`,
        ).run(id);
        prepared(
          db,
          `UPDATE disposal_items SET outcome = 'missing_at_disposal' WHERE disposal_id = ? AND outcome = 'pending'`,
        ).run(id);
        touch(
          `status = 'completed', completed_by = @by, completed_seq = @seq, completed_on = @on, certificate_no = @cert,
           missing_count = @missing, open_discrepancies = @missing`,
          { by: event.actor, on: event.occurredAt, cert: d.certificateNo, missing: d.missing.length },
        );
        return;
      }
      case 'disposal_discrepancy_resolved': {
        const d = event.data as { evidenceNo: string; resolution: string; reason: string };
        prepared(
          db,
          `UPDATE disposal_items SET resolution = ?, resolved_by = ?, resolved_seq = ?, resolution_note = ?
           WHERE disposal_id = ? AND evidence_no = ?`,
        ).run(d.resolution, event.actor, event.seq, d.reason, id, d.evidenceNo);
        touch('open_discrepancies = open_discrepancies - 1');
        return;
      }
    }
  },
};

function propose(db: Parameters<Projector['apply']>[0], event: LedgerEvent): void {
  const d = event.data as unknown as Proposed;
  prepared(
    db,
    `INSERT INTO disposals (id, status, disposition, authority_kind, authority_number, authority_date, authority_issuer,
       documents, case_id, item_count, proposed_by, proposed_at, proposed_seq, last_seq)
     VALUES (?, 'proposed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.entityId,
    d.disposition,
    d.authority.kind,
    d.authority.number,
    d.authority.date,
    d.authority.issuer,
    JSON.stringify(d.documents ?? []),
    d.caseId ?? null,
    d.items.length,
    event.actor,
    event.recordedAt,
    event.seq,
    event.seq,
  );
  const insert = prepared(
    db,
    'INSERT INTO disposal_items (disposal_id, evidence_no, position) VALUES (?, ?, ?)',
  );
  d.items.forEach((evidenceNo, i) => {
    insert.run(event.entityId, evidenceNo, i + 1);
  });
}
