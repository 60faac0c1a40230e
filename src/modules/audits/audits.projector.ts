import { prepared } from '../../db/statements';
import { canonicalJson } from '../../ledger/canonical';
import type { LedgerEvent, Projector } from '../../ledger/types';
import type { DiscrepancyKind, LocateResolution, ScanOutcome } from './audits.enums';

export const AUDIT_EVENTS = [
  'audit_started',
  'audit_scanned',
  'audit_discrepancy',
  'audit_closed',
  'audit_locate_resolved',
] as const;

/** One scan as audit_scanned records it (docs/audits.md). */
export interface ScanEntry {
  code: string;
  outcome: ScanOutcome;
  /** Where it was scanned: the location scanned last (for a location scan, itself). */
  locationCode: string;
  inScope: boolean;
  expectedLocationCode?: string;
  recordedStatus?: string;
  viaContainer?: string;
  sealIntact?: boolean;
  occurredAt?: string;
}

export interface DiscrepancyData {
  auditId: string;
  evidenceNo: string;
  kind: DiscrepancyKind;
  expectedLocationCode?: string;
  foundLocationCode?: string;
  recordedStatus?: string;
  outcome?: ScanOutcome;
  /** Missing items: when the unable-to-locate entry falls due. */
  dueAt?: string;
  /** Missing items: their item_reported_missing event. */
  itemEventSeq?: number;
}

export interface ResolvedData {
  auditId: string;
  evidenceNo: string;
  resolution: LocateResolution;
  locationCode?: string;
  reason?: string;
  note?: string;
  /** The audits whose open entries for this item it settles. */
  settles: string[];
}

const apply: Record<
  (typeof AUDIT_EVENTS)[number],
  (db: Parameters<Projector['apply']>[0], e: LedgerEvent) => void
> = {
  audit_started(db, e) {
    const d = e.data as {
      auditId: string;
      scope: 'location' | 'case';
      locationCode?: string;
      caseId?: string;
      title?: string;
      expected: number;
    };
    prepared(
      db,
      `INSERT INTO audits (id, scope, location_code, case_id, title, status, expected_at_start, started_by,
         started_at, started_seq) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
    ).run(
      d.auditId,
      d.scope,
      d.locationCode ?? null,
      d.caseId ?? null,
      d.title ?? null,
      d.expected,
      e.actor,
      e.occurredAt,
      e.seq,
    );
  },
  audit_scanned(db, e) {
    const d = e.data as { auditId: string; scanner?: string; scans: ScanEntry[] };
    const scanner = d.scanner ?? '';
    const insert = prepared(
      db,
      `INSERT INTO audit_scans (audit_id, seq, idx, kind, code, location_code, outcome, expected_location_code,
         recorded_status, in_scope, via_container, actor, scanner, occurred_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let here: string | null = null;
    d.scans.forEach((s, idx) => {
      const kind = s.outcome === 'location' ? 'location' : 'item';
      if (kind === 'location') here = s.code;
      insert.run(
        d.auditId,
        e.seq,
        idx,
        kind,
        s.code,
        s.locationCode,
        s.outcome,
        s.expectedLocationCode ?? null,
        s.recordedStatus ?? null,
        s.inScope ? 1 : 0,
        s.viaContainer ?? null,
        e.actor,
        scanner,
        s.occurredAt ?? e.occurredAt,
      );
    });
    if (here !== null) {
      prepared(
        db,
        `INSERT INTO audit_streams (audit_id, actor, scanner, location_code) VALUES (?, ?, ?, ?)
         ON CONFLICT (audit_id, actor, scanner) DO UPDATE SET location_code = excluded.location_code`,
      ).run(d.auditId, e.actor, scanner, here);
    }
  },
  audit_discrepancy(db, e) {
    const d = e.data as unknown as DiscrepancyData;
    prepared(
      db,
      `INSERT INTO audit_discrepancies (audit_id, seq, evidence_no, kind, expected_location_code,
         found_location_code, recorded_status, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      d.auditId,
      e.seq,
      d.evidenceNo,
      d.kind,
      d.expectedLocationCode ?? null,
      d.foundLocationCode ?? null,
      d.recordedStatus ?? null,
      d.outcome ?? null,
    );
    if (d.kind === 'missing' && d.dueAt) {
      prepared(
        db,
        `INSERT INTO unable_to_locate (audit_id, evidence_no, reported_seq, reported_at, last_location_code,
           due_at, status) VALUES (?, ?, ?, ?, ?, ?, 'open')`,
      ).run(d.auditId, d.evidenceNo, e.seq, e.occurredAt, d.expectedLocationCode ?? null, d.dueAt);
    }
  },
  audit_closed(db, e) {
    // Canonical: a rebuild reads the data back with its members sorted, and must store the same text.
    const { auditId, ...summary } = e.data as { auditId: string } & Record<string, unknown>;
    prepared(
      db,
      `UPDATE audits SET status = 'closed', closed_by = ?, closed_at = ?, closed_seq = ?, summary = ? WHERE id = ?`,
    ).run(e.actor, e.occurredAt, e.seq, canonicalJson(summary), auditId);
    prepared(db, 'DELETE FROM audit_streams WHERE audit_id = ?').run(auditId);
  },
  audit_locate_resolved(db, e) {
    const d = e.data as unknown as ResolvedData;
    const update = prepared(
      db,
      `UPDATE unable_to_locate SET status = ?, resolved_seq = ?, resolved_by = ?, resolved_at = ?,
         found_location_code = ?, reason = ? WHERE audit_id = ? AND evidence_no = ? AND status = 'open'`,
    );
    for (const auditId of d.settles) {
      update.run(
        d.resolution,
        e.seq,
        e.actor,
        e.occurredAt,
        d.locationCode ?? null,
        d.reason ?? d.note ?? null,
        auditId,
        d.evidenceNo,
      );
    }
  },
};

/** Audits, their scans and discrepancies, each scanner's current location, and the unable-to-locate queue. */
export const auditsProjector: Projector = {
  name: 'audits',
  tables: ['audits', 'audit_scans', 'audit_streams', 'audit_discrepancies', 'unable_to_locate'],
  types: AUDIT_EVENTS,
  apply(db, event) {
    apply[event.type as (typeof AUDIT_EVENTS)[number]](db, event);
  },
};
