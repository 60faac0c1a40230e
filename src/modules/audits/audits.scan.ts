import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Tx } from '../../ledger/types';
import { parseEvidenceNo, parseLocationCode } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import { checkOccurredAt } from '../../lib/time';
import { findItemRow, type ItemRow } from '../items/items.service';
import { getLocation } from '../locations/locations.service';
import { findParty } from '../parties/parties.service';
import { ON_SHELF_STATUSES, type ScanOutcome } from './audits.enums';
import type { ScanEntry } from './audits.projector';
import { contentsOf, countAt, isWithin, type Place, placeCache, subLocations } from './audits.scope';
import {
  type AuditRow,
  getOpenAudit,
  type ItemBrief,
  itemBriefs,
  printedEvidenceNo,
  scopeOf,
} from './audits.service';

export interface ScanInput {
  code: string;
  sealIntact?: boolean | undefined;
  sealNo?: string | undefined;
  occurredAt?: string | undefined;
}

export type ScanRequest =
  | (ScanInput & { scanner?: string | undefined })
  | { scans: ScanInput[]; scanner?: string | undefined };

type Parsed = ScanInput & { kind: 'location' | 'item'; compact: string; printed: string };

/** Sub-locations listed in a location scan's answer (the count says how many there are). */
const SUB_LOCATIONS_SHOWN = 50;

/**
 * Reads every code first: one that is neither a location code nor an evidence number (or has a
 * wrong check digit) refuses the whole request with 400 malformed_code, before anything is looked up.
 */
function parseAll(scans: ScanInput[]): Parsed[] {
  const errors: { index: number; value: string; reason: string; detail: string }[] = [];
  const parsed = scans.map((s, index): Parsed | null => {
    const text = s.code.trim().toUpperCase();
    try {
      if (text.startsWith('LC')) {
        const c = parseLocationCode(text);
        return { ...s, kind: 'location', compact: c.compact, printed: c.printed };
      }
      const e = parseEvidenceNo(text);
      return { ...s, kind: 'item', compact: e.compact, printed: e.printed };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push({
        index,
        value: s.code.slice(0, 40),
        reason: err.code === 'invalid_check_digit' ? 'check_digit' : 'format',
        detail: err.message,
      });
      return null;
    }
  });
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new AppError(
      'malformed_code',
      scans.length === 1
        ? `${first.detail}; scan it again`
        : `${errors.length} of ${scans.length} codes cannot be read (first: #${first.index}: ${first.detail}); nothing was recorded`,
      { errors },
    );
  }
  return parsed as Parsed[];
}

interface Holder {
  partyId: string | null;
  partyName: string | null;
  purpose: string | null;
  dueAt: string | null;
}

export interface ScanResult {
  index: number;
  code: string;
  printed: string;
  outcome: ScanOutcome;
  message: string;
  location: Place;
  inScope: boolean;
  item?: ItemBrief;
  expectedLocation?: Place;
  recordedStatus?: string;
  checkedOut?: Holder;
  firstScan?: { seq: number; locationCode: string; occurredAt: string };
  viaContainer?: string;
  contents?: { evidenceNo: string; outcome: ScanOutcome }[];
  sealMismatch?: boolean;
  again?: boolean;
  expectedHere?: number;
  foundHere?: number;
  unscannedSubLocations?: { count: number; items: Place[] };
}

const onShelf = (status: string) => (ON_SHELF_STATUSES as readonly string[]).includes(status);

/** One request's evaluation: what it has seen so far, on top of what the audit had recorded. */
class Stream {
  readonly entries: ScanEntry[] = [];
  private readonly seenItems = new Map<string, { locationCode: string }>();
  private readonly seenLocations = new Set<string>();
  readonly place: (code: string | null) => Place | null;
  readonly brief: (evidenceNo: string) => ItemBrief | null;
  private readonly scopeCache = new Map<string, boolean>();

  constructor(
    readonly db: Db,
    readonly audit: AuditRow,
    public here: string | null,
  ) {
    this.place = placeCache(db);
    this.brief = itemBriefs(db);
  }

  firstScanOf(code: string) {
    const own = this.seenItems.get(code);
    if (own) return { seq: 0, locationCode: own.locationCode, occurredAt: '' };
    // No ORDER BY: it would lead the planner to walk the whole audit in key order (O(scans) per scan);
    // an item has its first scan and few duplicates, so the earliest is picked here.
    const rows = prepared(
      this.db,
      `SELECT seq, idx, location_code, occurred_at FROM audit_scans WHERE audit_id = ? AND code = ? AND kind = 'item'`,
    ).all(this.audit.id, code) as { seq: number; idx: number; location_code: string; occurred_at: string }[];
    const row = rows.reduce<(typeof rows)[number] | undefined>(
      (first, r) => (!first || r.seq < first.seq || (r.seq === first.seq && r.idx < first.idx) ? r : first),
      undefined,
    );
    return row ? { seq: row.seq, locationCode: row.location_code, occurredAt: row.occurred_at } : null;
  }

  locationScanned(code: string): boolean {
    if (this.seenLocations.has(code)) return true;
    return (
      prepared(
        this.db,
        `SELECT 1 FROM audit_scans WHERE audit_id = ? AND code = ? AND kind = 'location' LIMIT 1`,
      ).get(this.audit.id, code) !== undefined
    );
  }

  markLocation(code: string) {
    this.seenLocations.add(code);
    this.here = code;
  }

  markItem(code: string, locationCode: string) {
    this.seenItems.set(code, { locationCode });
  }

  /** Whether the item is one the audit expects (counted by its `expected`). */
  inScope(row: ItemRow): boolean {
    if (!onShelf(row.status)) return false;
    if (this.audit.scope === 'case') return row.case_id === this.audit.case_id;
    if (row.location_code === null) return false;
    let hit = this.scopeCache.get(row.location_code);
    if (hit === undefined) {
      hit = isWithin(this.db, this.audit.location_code as string, row.location_code);
      this.scopeCache.set(row.location_code, hit);
    }
    return hit;
  }
}

function locationScan(s: Stream, scan: Parsed, index: number): ScanResult {
  const location = getLocation(s.db, scan.compact);
  const audit = s.audit;
  if (audit.scope === 'location' && !isWithin(s.db, audit.location_code as string, location.code)) {
    const root = s.place(audit.location_code);
    throw new AppError(
      'location_outside_audit',
      `${location.printed} (${location.path}) is not inside ${root?.printed ?? audit.location_code} (${root?.path ?? ''}), the location this audit counts`,
      { index, locationCode: location.code, auditLocationCode: audit.location_code },
    );
  }
  const again = s.locationScanned(location.code);
  s.markLocation(location.code);
  s.entries.push({
    code: location.code,
    outcome: 'location',
    locationCode: location.code,
    inScope: true,
    ...(scan.occurredAt ? { occurredAt: scan.occurredAt } : {}),
  });
  const subs = subLocations(s.db, location.code).filter((p) => !s.locationScanned(p.code));
  const expectedHere = countAt(s.db, scopeOf(audit), location.code);
  const foundHere = (
    prepared(
      s.db,
      `SELECT count(*) AS n FROM audit_scans WHERE audit_id = ? AND location_code = ? AND kind = 'item'
         AND outcome = 'expected_here'`,
    ).get(audit.id, location.code) as { n: number }
  ).n;
  const place = s.place(location.code) as Place;
  return {
    index,
    code: location.code,
    printed: location.printed,
    outcome: 'location',
    message: `${again ? 'Back at' : 'Now counting'} ${location.path}: ${expectedHere} item(s) recorded here${
      subs.length > 0 ? `; ${subs.length} sub-location(s) not scanned yet` : ''
    }`,
    location: place,
    inScope: true,
    ...(again ? { again: true } : {}),
    expectedHere,
    foundHere,
    ...(subs.length > 0
      ? { unscannedSubLocations: { count: subs.length, items: subs.slice(0, SUB_LOCATIONS_SHOWN) } }
      : {}),
  };
}

/** An item scan's outcome against the ledger's record, and the members that explain it. */
function judge(s: Stream, row: ItemRow | null, here: string) {
  if (!row) return { outcome: 'unknown' as const, inScope: false };
  const inScope = s.inScope(row);
  if (onShelf(row.status)) {
    if (row.location_code === here) return { outcome: 'expected_here' as const, inScope };
    return {
      outcome: 'expected_elsewhere' as const,
      inScope,
      ...(row.location_code ? { expectedLocationCode: row.location_code } : {}),
    };
  }
  const recordedStatus = row.status;
  switch (row.status) {
    case 'checked_out':
      return { outcome: 'checked_out' as const, inScope, recordedStatus };
    case 'registered':
      return { outcome: 'not_received' as const, inScope, recordedStatus };
    case 'missing':
      return { outcome: 'recorded_missing' as const, inScope, recordedStatus };
    default:
      return { outcome: 'disposed' as const, inScope, recordedStatus };
  }
}

const MESSAGES: Record<Exclude<ScanOutcome, 'location'>, string> = {
  expected_here: 'Expected here',
  expected_elsewhere: 'Misplaced: recorded at another location',
  checked_out: 'Recorded as checked out (on authorised temporary release)',
  disposed: 'On hand but recorded as disposed',
  not_received: 'Registered at seizure but never received into the warehouse',
  recorded_missing: 'On hand but recorded as missing',
  unknown: 'No item carries this evidence number',
  duplicate: 'Already scanned in this audit',
};

function itemScan(s: Stream, scan: Parsed, index: number, viaContainer?: string): ScanResult {
  const here = s.here as string;
  const location = s.place(here) as Place;
  const first = s.firstScanOf(scan.compact);
  const base = { index, code: scan.compact, printed: scan.printed, location };
  const occurred = scan.occurredAt ? { occurredAt: scan.occurredAt } : {};
  const via = viaContainer ? { viaContainer } : {};
  if (first) {
    s.entries.push({
      code: scan.compact,
      outcome: 'duplicate',
      locationCode: here,
      inScope: false,
      ...via,
      ...occurred,
    });
    const firstPlace = s.place(first.locationCode);
    return {
      ...base,
      outcome: 'duplicate',
      message: `${MESSAGES.duplicate}${firstPlace ? ` (at ${firstPlace.path})` : ''}; counted once`,
      inScope: false,
      ...(first.seq > 0 ? { firstScan: first } : {}),
      ...via,
    };
  }
  const row = findItemRow(s.db, scan.compact);
  const j = judge(s, row, here);
  s.markItem(scan.compact, here);
  const containerStands = row?.category === 'container' && scan.sealIntact === true && !viaContainer;
  const sealMismatch =
    containerStands && scan.sealNo !== undefined && row.seal_no !== null && scan.sealNo !== row.seal_no;
  s.entries.push({
    code: scan.compact,
    outcome: j.outcome,
    locationCode: here,
    inScope: j.inScope,
    ...('expectedLocationCode' in j && j.expectedLocationCode
      ? { expectedLocationCode: j.expectedLocationCode }
      : {}),
    ...('recordedStatus' in j ? { recordedStatus: j.recordedStatus } : {}),
    ...via,
    ...(containerStands ? { sealIntact: !sealMismatch } : {}),
    ...occurred,
  });
  const result: ScanResult = {
    ...base,
    outcome: j.outcome,
    message: MESSAGES[j.outcome],
    inScope: j.inScope,
    ...via,
  };
  const brief = s.brief(scan.compact);
  if (brief) result.item = brief;
  if ('expectedLocationCode' in j && j.expectedLocationCode) {
    const expected = s.place(j.expectedLocationCode);
    if (expected) {
      result.expectedLocation = expected;
      result.message = `${MESSAGES.expected_elsewhere}: ${expected.path} (${expected.printed})`;
    }
  }
  if ('recordedStatus' in j && j.recordedStatus) result.recordedStatus = j.recordedStatus;
  if (j.outcome === 'checked_out' && row) {
    const party = row.holder_party_id ? findParty(s.db, row.holder_party_id) : null;
    result.checkedOut = {
      partyId: row.holder_party_id,
      partyName: party?.name ?? null,
      purpose: row.checkout_purpose,
      dueAt: row.due_at,
    };
    if (party)
      result.message = `${MESSAGES.checked_out}: ${party.name}${row.due_at ? `, due ${row.due_at}` : ''}`;
  }
  if (j.outcome === 'disposed' && row)
    result.message = `${MESSAGES.disposed} (${row.status.replace(/_/g, ' ')})`;
  if (containerStands && row) {
    if (sealMismatch) {
      result.sealMismatch = true;
      result.message += `; seal ${scan.sealNo} is not the recorded ${row.seal_no}: scan its contents one by one`;
    } else {
      result.contents = contentsOf(s.db, row.evidence_no).map((evidenceNo, k) => {
        const inner = itemScan(
          s,
          {
            code: evidenceNo,
            kind: 'item',
            compact: evidenceNo,
            printed: printedEvidenceNo(evidenceNo),
            ...occurred,
          },
          index + k + 1,
          row.evidence_no,
        );
        return { evidenceNo, outcome: inner.outcome };
      });
      result.message += `; seal intact: stands for its ${result.contents.length} item(s)`;
    }
  }
  return result;
}

/**
 * POST /audits/:id/scans: the scanner's stream, a location code first and then what is on it.
 * Each scan is judged against the ledger's record at once; the request's scans are recorded as one
 * audit_scanned event, answered only once it has committed.
 */
export function recordScans(tx: Tx, auditId: string, request: ScanRequest, actor: string) {
  const audit = getOpenAudit(tx.db, auditId);
  const inputs = 'scans' in request ? request.scans : [request];
  const scans = parseAll(inputs);
  for (const s of scans) checkOccurredAt(s.occurredAt, tx.now);
  const scanner = request.scanner ?? '';
  const current = prepared(
    tx.db,
    'SELECT location_code FROM audit_streams WHERE audit_id = ? AND actor = ? AND scanner = ?',
  ).get(audit.id, actor, scanner) as { location_code: string } | undefined;
  const stream = new Stream(tx.db, audit, current?.location_code ?? null);
  const results: ScanResult[] = [];
  scans.forEach((scan, index) => {
    if (scan.kind === 'location') {
      results.push(locationScan(stream, scan, index));
      return;
    }
    if (stream.here === null) {
      throw new AppError(
        'location_scan_required',
        'scan the location label first: items are counted at the location scanned last',
        { index },
      );
    }
    results.push(itemScan(stream, scan, index));
  });
  const event = tx.append({
    type: 'audit_scanned',
    entityType: 'audit',
    entityId: audit.id,
    actor,
    data: { auditId: audit.id, ...(scanner ? { scanner } : {}), scans: stream.entries },
  });
  return { auditId: audit.id, seq: event.seq, results };
}
