import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Tx } from '../../ledger/types';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { AuthUser } from '../users/users.service';
import { userNames } from '../users/users.service';
import type { AuthorityKind, DisposalStatus, Disposition } from './disposal.enums';

export type Actor = Pick<AuthUser, 'id' | 'role'>;

interface DisposalRow {
  id: string;
  status: DisposalStatus;
  disposition: Disposition;
  authority_kind: AuthorityKind;
  authority_number: string;
  authority_date: string;
  authority_issuer: string;
  documents: string;
  case_id: string | null;
  item_count: number;
  scanned_count: number;
  missing_count: number;
  open_discrepancies: number;
  proposed_by: string;
  proposed_at: string;
  proposed_seq: number;
  decided_by: string | null;
  decided_at: string | null;
  decided_seq: number | null;
  decision_reason: string | null;
  completed_by: string | null;
  completed_seq: number | null;
  completed_on: string | null;
  certificate_no: string | null;
  last_seq: number;
}

export interface DisposalState {
  id: string;
  status: DisposalStatus;
  disposition: Disposition;
  authority: { kind: AuthorityKind; number: string; date: string; issuer: string };
  proposedBy: string;
  proposedSeq: number;
  itemCount: number;
  scannedCount: number;
  completedSeq: number | null;
}

function findRow(db: Db, id: string): DisposalRow | null {
  return (prepared(db, 'SELECT * FROM disposals WHERE id = ?').get(id) as DisposalRow | undefined) ?? null;
}

function rowOrThrow(db: Db, id: string): DisposalRow {
  const row = findRow(db, id);
  if (!row) throw new AppError('disposal_not_found', `no disposal "${id}"`, { disposalId: id });
  return row;
}

const authorityOf = (r: DisposalRow) => ({
  kind: r.authority_kind,
  number: r.authority_number,
  date: r.authority_date,
  issuer: r.authority_issuer,
});

/** The state the workflow decides on; 404 disposal_not_found. */
export function getDisposalState(db: Db, id: string): DisposalState {
  const r = rowOrThrow(db, id);
  return {
    id: r.id,
    status: r.status,
    disposition: r.disposition,
    authority: authorityOf(r),
    proposedBy: r.proposed_by,
    proposedSeq: r.proposed_seq,
    itemCount: r.item_count,
    scannedCount: r.scanned_count,
    completedSeq: r.completed_seq,
  };
}

/** The data of one recorded event, by seq. */
export function eventData(db: Db, seq: number): Record<string, unknown> {
  const row = prepared(db, 'SELECT data FROM events WHERE seq = ?').get(seq) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as Record<string, unknown>) : {};
}

function toView(db: Db, r: DisposalRow, names: Map<string, string>) {
  const user = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? id });
  const proposal = eventData(db, r.proposed_seq) as { authority?: { document?: string } };
  return {
    id: r.id,
    status: r.status,
    disposition: r.disposition,
    authority: { ...authorityOf(r), document: proposal.authority?.document ?? null },
    documents: JSON.parse(r.documents) as string[],
    caseId: r.case_id,
    counts: {
      items: r.item_count,
      scanned: r.scanned_count,
      missing: r.missing_count,
      openDiscrepancies: r.open_discrepancies,
    },
    proposedBy: user(r.proposed_by) as { id: string; name: string },
    proposedAt: r.proposed_at,
    decidedBy: user(r.decided_by),
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    completedBy: user(r.completed_by),
    completedOn: r.completed_on,
    certificateNo: r.certificate_no,
    completion: r.completed_seq === null ? null : eventData(db, r.completed_seq),
    lastSeq: r.last_seq,
  };
}
export type DisposalView = ReturnType<typeof toView>;

const namesOf = (db: Db, rows: DisposalRow[]) =>
  userNames(
    db,
    rows.flatMap((r) => [r.proposed_by, r.decided_by, r.completed_by].filter((x): x is string => x !== null)),
  );

export function getDisposal(db: Db, id: string): DisposalView {
  const row = rowOrThrow(db, id);
  return toView(db, row, namesOf(db, [row]));
}

export function listDisposals(
  db: Db,
  q: { limit: number; cursor?: string | undefined; status?: DisposalStatus | undefined },
) {
  const rows = prepared(
    db,
    `SELECT * FROM disposals WHERE proposed_seq > @after AND (@status IS NULL OR status = @status)
     ORDER BY proposed_seq LIMIT @limit`,
  ).all({ after: afterKey(q.cursor), status: q.status ?? null, limit: q.limit + 1 }) as DisposalRow[];
  const names = namesOf(db, rows);
  const page = keyPage(rows, q.limit, (r) => r.proposed_seq);
  return { items: page.items.map((r) => toView(db, r, names)), nextCursor: page.nextCursor };
}

/** The open disposal (proposed or approved) an item is in, if any. */
export function openDisposalOf(db: Db, evidenceNo: string): string | null {
  const row = prepared(
    db,
    `SELECT d.id FROM disposal_items di JOIN disposals d ON d.id = di.disposal_id
     WHERE di.evidence_no = ? AND d.status IN ('proposed', 'approved') LIMIT 1`,
  ).get(evidenceNo) as { id: string } | undefined;
  return row?.id ?? null;
}

/** The batch's evidence numbers in proposal order, with what became of each. */
export function batchItems(db: Db, disposalId: string) {
  return prepared(
    db,
    'SELECT evidence_no, outcome, scanned_seq, proceeds_minor FROM disposal_items WHERE disposal_id = ? ORDER BY position',
  ).all(disposalId) as {
    evidence_no: string;
    outcome: string;
    scanned_seq: number | null;
    proceeds_minor: number | null;
  }[];
}

export function newDisposalId(): string {
  return newId('dsp');
}

/** 409 unless the disposal is in one of `statuses`; `code` says which step was refused. */
export function requireStatus(
  d: DisposalState,
  statuses: readonly DisposalStatus[],
  code: 'disposal_not_pending' | 'disposal_not_approved',
  step: string,
): void {
  if (!statuses.includes(d.status)) {
    throw new AppError(code, `disposal ${d.id} is ${d.status}: it cannot be ${step}`, {
      disposalId: d.id,
      status: d.status,
    });
  }
}

/** The four-eyes rule: whoever proposed a disposal does not approve, reject or complete it. */
export function requireOtherPerson(d: DisposalState, actor: Actor, step: string): void {
  if (d.proposedBy === actor.id) {
    throw new AppError('same_person', `you proposed disposal ${d.id}; another supervisor must ${step} it`, {
      disposalId: d.id,
    });
  }
}

export type { Tx };
