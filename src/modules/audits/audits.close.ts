import type { Tx } from '../../ledger/types';
import { checkOccurredAt } from '../../lib/time';
import { appendItemEvent } from '../custody/custody.service';
import type { AuthUser } from '../users/users.service';
import { RESOLVE_WORKING_DAYS } from './audits.enums';
import type { DiscrepancyData } from './audits.projector';
import { unscannedItems } from './audits.scope';
import {
  type ClosedSummary,
  getOpenAudit,
  liveCounts,
  scanDiscrepancies,
  scopeOf,
  showAudit,
} from './audits.service';

/** `days` working days (Monday to Friday, counted in UTC) after `from`, at the same time of day. */
export function addWorkingDays(from: Date, days: number): Date {
  const at = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    at.setUTCDate(at.getUTCDate() + 1);
    const weekday = at.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return at;
}

export interface CloseAuditInput {
  note?: string | undefined;
  occurredAt?: string | undefined;
}

/**
 * Closes an audit, once: every discrepancy item gets an audit_discrepancy event (missing, then
 * misplaced and unexpected in scan order), each missing item is marked `reported_missing` with the
 * time its unable-to-locate entry falls due, and audit_closed records the counts and the
 * certification. A second close is refused with 409 audit_closed.
 */
export function closeAudit(tx: Tx, auditId: string, input: CloseAuditInput, actor: Pick<AuthUser, 'id'>) {
  const audit = getOpenAudit(tx.db, auditId);
  checkOccurredAt(input.occurredAt, tx.now);
  const scope = scopeOf(audit);
  const closedAt = input.occurredAt ? new Date(input.occurredAt) : tx.now;
  const dueAt = addWorkingDays(closedAt, RESOLVE_WORKING_DAYS).toISOString();
  const { unscannedLocations, ...live } = liveCounts(tx.db, audit);
  const missing = unscannedItems(tx.db, audit.id, scope, 'shelf');
  const fromScans = scanDiscrepancies(tx.db, audit.id);
  const discrepancy = (data: DiscrepancyData) =>
    tx.append({
      type: 'audit_discrepancy',
      entityType: 'audit',
      entityId: audit.id,
      actor: actor.id,
      occurredAt: input.occurredAt,
      data: { ...data },
    });
  for (const m of missing) {
    const reported = appendItemEvent({
      tx,
      actor,
      evidenceNo: m.evidence_no,
      type: 'reported_missing',
      occurredAt: input.occurredAt,
      data: { auditId: audit.id, dueAt, ...(m.location_code ? { lastLocationCode: m.location_code } : {}) },
    });
    discrepancy({
      auditId: audit.id,
      evidenceNo: m.evidence_no,
      kind: 'missing',
      ...(m.location_code ? { expectedLocationCode: m.location_code } : {}),
      recordedStatus: m.status,
      dueAt,
      itemEventSeq: reported.seq,
    });
  }
  for (const d of fromScans) {
    discrepancy({
      auditId: audit.id,
      evidenceNo: d.evidenceNo,
      kind: d.kind,
      ...(d.expectedLocationCode ? { expectedLocationCode: d.expectedLocationCode } : {}),
      ...(d.foundLocationCode ? { foundLocationCode: d.foundLocationCode } : {}),
      ...(d.recordedStatus ? { recordedStatus: d.recordedStatus } : {}),
      ...(d.outcome ? { outcome: d.outcome } : {}),
    });
  }
  const counts = { ...live, missing: missing.length, notYetScanned: 0 };
  const exceptions = counts.missing + counts.misplaced + counts.unexpected + unscannedLocations.length;
  const summary: ClosedSummary = {
    counts,
    certification: exceptions === 0 ? 'no_exceptions' : 'exceptions',
    unscannedLocations: unscannedLocations.map((l) => l.code),
    ...(input.note ? { note: input.note } : {}),
  };
  tx.append({
    type: 'audit_closed',
    entityType: 'audit',
    entityId: audit.id,
    actor: actor.id,
    occurredAt: input.occurredAt,
    data: { auditId: audit.id, ...summary, ...(counts.missing > 0 ? { dueAt } : {}) },
  });
  return showAudit(tx.db, audit.id);
}
