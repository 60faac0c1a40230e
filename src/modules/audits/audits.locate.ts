import type { Db } from '../../db/open';
import type { RowOf } from '../../db/rows';
import { prepared } from '../../db/statements';
import type { Tx } from '../../ledger/types';
import { parseEvidenceNo } from '../../lib/codes';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { checkOccurredAt } from '../../lib/time';
import { appendItemEvent, type Recorded } from '../custody/custody.service';
import { findCustodyState } from '../custody/custody.state';
import { getLocation } from '../locations/locations.service';
import type { AuthUser } from '../users/users.service';
import { userNames } from '../users/users.service';
import { type LocateStatus, ON_SHELF_STATUSES } from './audits.enums';
import type { ResolvedData } from './audits.projector';
import type { unableToLocate } from './audits.schema';
import { placeCache } from './audits.scope';
import { itemBriefs, printedEvidenceNo } from './audits.service';

type LocateRow = RowOf<typeof unableToLocate>;

export interface LocateListInput {
  limit: number;
  cursor?: string | undefined;
  status: LocateStatus | 'resolved' | 'all';
  overdue?: 'true' | 'false' | undefined;
  auditId?: string | undefined;
}

/** GET /audits/unable-to-locate: the queue, oldest report first; `overdue` entries are open past their due time. */
export function listUnableToLocate(db: Db, q: LocateListInput, now: Date) {
  const statuses =
    q.status === 'all'
      ? ['open', 'found', 'written_off']
      : q.status === 'resolved'
        ? ['found', 'written_off']
        : [q.status];
  const rows = prepared(
    db,
    `SELECT * FROM unable_to_locate WHERE reported_seq > @after
       AND status IN (@s0, @s1, @s2)
       AND (@auditId IS NULL OR audit_id = @auditId)
       AND (@overdue IS NULL OR (status = 'open' AND (due_at < @now) = @overdue))
     ORDER BY reported_seq LIMIT @limit`,
  ).all({
    after: afterKey(q.cursor),
    s0: statuses[0] ?? null,
    s1: statuses[1] ?? null,
    s2: statuses[2] ?? null,
    auditId: q.auditId ?? null,
    overdue: q.overdue === undefined ? null : q.overdue === 'true' ? 1 : 0,
    now: now.toISOString(),
    limit: q.limit + 1,
  }) as LocateRow[];
  const page = keyPage(rows, q.limit, (r) => r.reported_seq);
  const names = userNames(
    db,
    page.items.flatMap((r) => (r.resolved_by ? [r.resolved_by] : [])),
  );
  const place = placeCache(db);
  const brief = itemBriefs(db);
  return {
    items: page.items.map((r) => ({
      auditId: r.audit_id,
      evidenceNo: r.evidence_no,
      printed: printedEvidenceNo(r.evidence_no),
      item: brief(r.evidence_no),
      itemStatus: findCustodyState(db, r.evidence_no)?.status ?? null,
      lastLocation: place(r.last_location_code),
      reportedSeq: r.reported_seq,
      reportedAt: r.reported_at,
      dueAt: r.due_at,
      overdue: r.status === 'open' && Date.parse(r.due_at) < now.getTime(),
      status: r.status,
      resolvedSeq: r.resolved_seq,
      resolvedBy: r.resolved_by
        ? { id: r.resolved_by, name: names.get(r.resolved_by) ?? r.resolved_by }
        : null,
      resolvedAt: r.resolved_at,
      foundLocation: place(r.found_location_code),
      reason: r.reason,
    })),
    nextCursor: page.nextCursor,
  };
}

export type ResolveInput =
  | { resolution: 'found'; locationCode: string; note?: string | undefined; occurredAt?: string | undefined }
  | { resolution: 'written_off'; reason: string; occurredAt?: string | undefined };

/**
 * A supervisor settles an item the queue holds. Found: the item is received at the location where
 * it was found (moved there, if someone has received it since). Written off: it stays `missing`,
 * with a note in its history giving the reason. Either way audit_locate_resolved records who and why.
 */
export function resolveUnableToLocate(
  tx: Tx,
  evidenceNoText: string,
  input: ResolveInput,
  actor: Pick<AuthUser, 'id'>,
) {
  const { compact } = parseEvidenceNo(evidenceNoText);
  checkOccurredAt(input.occurredAt, tx.now);
  const open = prepared(
    tx.db,
    `SELECT audit_id FROM unable_to_locate WHERE evidence_no = ? AND status = 'open' ORDER BY reported_seq DESC`,
  ).all(compact) as { audit_id: string }[];
  const latest = open[0];
  if (!latest) {
    throw new AppError(
      'unable_to_locate_not_found',
      `${printedEvidenceNo(compact)} is not in the unable-to-locate queue (or was resolved already)`,
      { evidenceNo: compact },
    );
  }
  const settles = open.map((o) => o.audit_id);
  let itemEvent: Recorded | null = null;
  let locationCode: string | undefined;
  if (input.resolution === 'found') {
    locationCode = getLocation(tx.db, input.locationCode).code;
    const state = findCustodyState(tx.db, compact);
    const note = input.note ? { note: input.note } : {};
    if (state && (ON_SHELF_STATUSES as readonly string[]).includes(state.status)) {
      if (state.locationCode !== locationCode) {
        itemEvent = appendItemEvent({
          tx,
          actor,
          evidenceNo: compact,
          type: 'moved',
          occurredAt: input.occurredAt,
          data: {
            locationCode,
            reason: `found after audit ${latest.audit_id}`,
            ...(state.locationCode ? { fromLocationCode: state.locationCode } : {}),
          },
        });
      }
    } else {
      // The state machine decides: `missing` allows received; anything else is refused (409).
      itemEvent = appendItemEvent({
        tx,
        actor,
        evidenceNo: compact,
        type: 'received',
        occurredAt: input.occurredAt,
        data: { locationCode, auditId: latest.audit_id, ...note },
      });
    }
  } else {
    itemEvent = appendItemEvent({
      tx,
      actor,
      evidenceNo: compact,
      type: 'note',
      occurredAt: input.occurredAt,
      data: { text: `Written off after audit ${latest.audit_id} could not locate it: ${input.reason}` },
    });
  }
  const data: ResolvedData & { itemEventSeq?: number } = {
    auditId: latest.audit_id,
    evidenceNo: compact,
    resolution: input.resolution,
    ...(locationCode ? { locationCode } : {}),
    ...(input.resolution === 'written_off' ? { reason: input.reason } : {}),
    ...(input.resolution === 'found' && input.note ? { note: input.note } : {}),
    settles,
    ...(itemEvent ? { itemEventSeq: itemEvent.seq } : {}),
  };
  const event = tx.append({
    type: 'audit_locate_resolved',
    entityType: 'audit',
    entityId: latest.audit_id,
    actor: actor.id,
    occurredAt: input.occurredAt,
    data: { ...data },
  });
  return {
    evidenceNo: compact,
    printed: printedEvidenceNo(compact),
    resolution: input.resolution,
    seq: event.seq,
    itemEventSeq: itemEvent?.seq ?? null,
    itemStatus: findCustodyState(tx.db, compact)?.status ?? null,
    settles,
  };
}
