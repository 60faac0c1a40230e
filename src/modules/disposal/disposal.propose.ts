import type { Db } from '../../db/open';
import type { Tx } from '../../ledger/types';
import { parseEvidenceNo } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import type { z } from '../../lib/zod';
import { getCase } from '../cases/cases.service';
import { appendItemEvent } from '../custody/custody.service';
import { requireDocuments } from '../documents/documents.service';
import type { ItemStatus } from '../items/items.enums';
import { findItemRow, listItems } from '../items/items.service';
import { getSeizureOfCase } from '../seizures/seizures.service';
import { allows } from '../users/roles';
import type { CancelBody, ProposeDisposalBody } from './disposal.contract';
import { MAX_DISPOSAL_ITEMS } from './disposal.enums';
import {
  type Actor,
  batchItems,
  type DisposalView,
  getDisposal,
  getDisposalState,
  newDisposalId,
  openDisposalOf,
  requireOtherPerson,
  requireStatus,
} from './disposal.service';

export interface IneligibleItem {
  evidenceNo: string;
  code: string;
  detail: string;
  status?: ItemStatus;
  disposalId?: string;
}

/** Why an item's status does not let it be proposed for disposal (null: it may be). */
const STATUS_PROBLEM: Partial<Record<ItemStatus, [string, string]>> = {
  registered: ['not_in_storage', 'registered but never received into the warehouse'],
  checked_out: ['checked_out', 'checked out: it must be returned first'],
  missing: ['missing', 'reported missing'],
  destroyed: ['disposed', 'already destroyed'],
  sold: ['disposed', 'already sold'],
  released: ['disposed', 'already released to its owner'],
  transferred_out: ['disposed', 'already transferred to another agency'],
};

function eligibility(db: Db, evidenceNo: string, status: ItemStatus): IneligibleItem | null {
  const open = openDisposalOf(db, evidenceNo);
  if (open) {
    return {
      evidenceNo,
      code: 'in_open_disposal',
      detail: `already in open disposal ${open}`,
      status,
      disposalId: open,
    };
  }
  const problem = STATUS_PROBLEM[status];
  return problem ? { evidenceNo, code: problem[0], detail: problem[1], status } : null;
}

function refuse(offending: IneligibleItem[], total: number): never {
  const first = offending[0];
  throw new AppError(
    'items_not_eligible',
    first
      ? `${offending.length} of ${total} items may not be disposed of (first: ${first.evidenceNo}: ${first.detail}); nothing was recorded`
      : 'no item matches the selection',
    { items: offending },
  );
}

type ProposeInput = z.infer<typeof ProposeDisposalBody>;

/** The items a proposal names: its list (checked one by one) or its selection (a case, filtered). */
function resolveItems(db: Db, input: ProposeInput, now: Date) {
  const offending: IneligibleItem[] = [];
  const found: { evidenceNo: string; status: ItemStatus; caseId: string }[] = [];
  if (input.items) {
    const seen = new Set<string>();
    for (const text of input.items) {
      try {
        const ev = parseEvidenceNo(text);
        const row = findItemRow(db, ev.compact);
        if (!row) {
          offending.push({ evidenceNo: text, code: 'item_not_found', detail: `no item ${ev.printed}` });
        } else if (seen.has(ev.compact)) {
          offending.push({
            evidenceNo: ev.compact,
            code: 'duplicate_in_list',
            detail: 'named twice in the list',
          });
        } else {
          seen.add(ev.compact);
          found.push({ evidenceNo: ev.compact, status: row.status, caseId: row.case_id });
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        offending.push({ evidenceNo: text, code: err.code, detail: err.message });
      }
    }
  } else if (input.selection) {
    const s = input.selection;
    getCase(db, s.caseId);
    if (s.seizureId) getSeizureOfCase(db, s.caseId, s.seizureId);
    let cursor: string | undefined;
    do {
      const page = listItems(
        db,
        {
          limit: 500,
          cursor,
          caseId: s.caseId,
          seizureId: s.seizureId,
          category: s.category,
          locationCode: s.locationCode,
          sort: 'registered',
        },
        now,
      );
      for (const item of page.items)
        found.push({ evidenceNo: item.evidenceNo, status: item.status, caseId: item.caseId });
      cursor = page.nextCursor ?? undefined;
      if (found.length > MAX_DISPOSAL_ITEMS) {
        throw new AppError(
          'validation_failed',
          `the selection matches more than ${MAX_DISPOSAL_ITEMS} items; narrow it`,
          {
            errors: [
              {
                in: 'body',
                path: 'selection',
                message: `more than ${MAX_DISPOSAL_ITEMS} items`,
                issue: 'custom',
              },
            ],
          },
        );
      }
    } while (cursor);
  }
  for (const item of found) {
    const problem = eligibility(db, item.evidenceNo, item.status);
    if (problem) offending.push(problem);
  }
  return { found, offending };
}

/**
 * A proposal: every item must allow a disposal (in storage, in no other open disposal), else the
 * whole proposal is refused with 409 items_not_eligible listing each offending item.
 */
export function proposeDisposal(tx: Tx, input: ProposeInput, actor: Actor): DisposalView {
  const { authority, documents: attached, items: _items, selection, ...rest } = input;
  const documents = requireDocuments(tx.db, [
    ...(authority.document ? [authority.document] : []),
    ...(attached ?? []),
  ]);
  const { found, offending } = resolveItems(tx.db, input, tx.now);
  if (offending.length > 0 || found.length === 0) refuse(offending, found.length + offending.length);
  const cases = new Set(found.map((i) => i.caseId));
  const id = newDisposalId();
  tx.append({
    type: 'disposal_proposed',
    entityType: 'disposal',
    entityId: id,
    actor: actor.id,
    data: {
      ...rest,
      authority,
      ...(documents.length > 0 ? { documents } : {}),
      ...(selection ? { selection } : {}),
      ...(cases.size === 1 ? { caseId: [...cases][0] } : {}),
      items: found.map((i) => i.evidenceNo),
    },
  });
  return getDisposal(tx.db, id);
}

/** Approval by another supervisor: disposal_approved, then disposal_authorised on every item. */
export function approveDisposal(
  tx: Tx,
  disposalId: string,
  note: string | undefined,
  actor: Actor,
): DisposalView {
  const d = getDisposalState(tx.db, disposalId);
  requireStatus(d, ['proposed'], 'disposal_not_pending', 'approved');
  requireOtherPerson(d, actor, 'approve');
  tx.append({
    type: 'disposal_approved',
    entityType: 'disposal',
    entityId: d.id,
    actor: actor.id,
    data: note === undefined ? {} : { note },
  });
  const offending: IneligibleItem[] = [];
  const items = batchItems(tx.db, d.id);
  for (const item of items) {
    try {
      appendItemEvent({
        tx,
        evidenceNo: item.evidence_no,
        type: 'disposal_authorised',
        actor,
        data: { disposalId: d.id, disposition: d.disposition, authority: d.authority },
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const status = err.extra.currentStatus as ItemStatus | undefined;
      const problem = status ? STATUS_PROBLEM[status] : undefined;
      offending.push({
        evidenceNo: item.evidence_no,
        code: problem?.[0] ?? err.code,
        detail: problem?.[1] ?? err.message,
        ...(status ? { status } : {}),
      });
    }
  }
  if (offending.length > 0) refuse(offending, items.length);
  return getDisposal(tx.db, d.id);
}

export function rejectDisposal(tx: Tx, disposalId: string, reason: string, actor: Actor): DisposalView {
  const d = getDisposalState(tx.db, disposalId);
  requireStatus(d, ['proposed'], 'disposal_not_pending', 'rejected');
  requireOtherPerson(d, actor, 'reject');
  tx.append({
    type: 'disposal_rejected',
    entityType: 'disposal',
    entityId: d.id,
    actor: actor.id,
    data: { reason },
  });
  return getDisposal(tx.db, d.id);
}

/**
 * Before approval the proposer withdraws a proposal. After approval, while nothing was scanned, a
 * supervisor cancels it with a reason (the order was set aside): every item's authorisation is
 * cancelled in the same transaction and it is back in storage.
 */
export function cancelDisposal(
  tx: Tx,
  disposalId: string,
  input: z.infer<typeof CancelBody>,
  actor: Actor,
): DisposalView {
  const d = getDisposalState(tx.db, disposalId);
  requireStatus(d, ['proposed', 'approved'], 'disposal_not_pending', 'cancelled');
  if (d.status === 'proposed' && d.proposedBy !== actor.id) {
    throw new AppError(
      'not_proposer',
      `only the user who proposed disposal ${d.id} may cancel it; a supervisor may reject it`,
      { disposalId: d.id },
    );
  }
  if (d.status === 'approved') {
    if (!allows('supervise', actor.role)) {
      throw new AppError(
        'forbidden',
        `the ${actor.role} role may not cancel an approved disposal; a supervisor may`,
        {
          role: actor.role,
          requires: 'supervise',
        },
      );
    }
    if (input.reason === undefined) {
      throw new AppError(
        'validation_failed',
        'body reason: an approved disposal is cancelled with a reason',
        {
          errors: [
            {
              in: 'body',
              path: 'reason',
              message: 'required to cancel an approved disposal',
              issue: 'custom',
            },
          ],
        },
      );
    }
    if (d.scannedCount > 0) {
      throw new AppError(
        'disposal_in_progress',
        `${d.scannedCount} item(s) of disposal ${d.id} were already recorded at the site: complete it instead`,
        { disposalId: d.id, scanned: d.scannedCount },
      );
    }
  }
  tx.append({
    type: 'disposal_cancelled',
    entityType: 'disposal',
    entityId: d.id,
    actor: actor.id,
    data: input.reason === undefined ? {} : { reason: input.reason },
  });
  if (d.status === 'approved') {
    for (const item of batchItems(tx.db, d.id)) {
      appendItemEvent({
        tx,
        evidenceNo: item.evidence_no,
        type: 'disposal_cancelled',
        actor,
        data: { disposalId: d.id, reason: input.reason as string },
      });
    }
  }
  return getDisposal(tx.db, d.id);
}
