import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Checkpoint } from '../../ledger/checkpoint';
import { type EventRow, exportLineOf } from '../../ledger/events-read';
import type { Ledger } from '../../ledger/ledger';
import { type CaseView, getCase } from '../cases/cases.service';
import { getCustodyState } from '../custody/custody.state';
import { findItemRow } from '../items/items.service';
import { getSeizure } from '../seizures/seizures.service';
import type { NameSource } from './facts';
import { type Requester, reportCheckpoint } from './fingerprint';
import {
  deriveItemReport,
  type History,
  historyFrom,
  type LedgerRecord,
  type RecordSource,
} from './item.derive';
import { printUtc, words } from './words';

export const PAYLOAD_FORMAT = 'custody-report/1';

export type Field = [label: string, value: string];

/** One event of an item as the report shows it, with the ledger event itself (to hash and prove). */
export interface ReportEvent {
  seq: number;
  /** The ledger event's hash (its Merkle leaf is SHA-256(0x00 ‖ hash)). */
  hash: string;
  when: string;
  what: string;
  fromTo: string;
  details: string;
  seal: string;
  by: string;
  corrects: number | null;
  correctedBy: number[];
  /** Item reports: the event exactly as exported (docs/ledger-format.md §2), `hash` included. */
  event?: Record<string, unknown>;
}

/** What every report states about where it comes from. */
export interface ReportHead {
  format: typeof PAYLOAD_FORMAT;
  kind: string;
  parameters: Record<string, unknown>;
  ledger: { origin: string; keyId: string };
  checkpoint: { treeSize: number; rootHash: string; headHash: string; signedAt: string };
  requestedBy: Requester;
  /** The checkpoint's time as printed ("Made on …"). */
  madeAt: string;
  /** The service the report was asked of; the QR code is <serviceUrl>/api/v1/reports/<fingerprint>. */
  serviceUrl: string;
  /** The page header's two lines. */
  header: string;
  subheader: string;
}

export interface ItemSection {
  evidenceNo: string;
  printed: string;
  item: Field[];
  seizure: Field[];
  events: ReportEvent[];
  valuations: {
    seq: number;
    asOf: string;
    amount: string;
    method: string;
    appraiser: string;
    corrected: string;
  }[];
  disposition: { seq: number; when: string; what: string; details: string; by: string } | null;
}

export interface ItemReportPayload extends ReportHead {
  kind: 'item_custody';
  case: { id: string; number: string; title: string; fields: Field[] };
  section: ItemSection;
  /**
   * The case, seizure, user, location and party events (as exported, up to the checkpoint) that the
   * header and the names printed come from; each has its inclusion proof like the item's events.
   */
  sources: LedgerRecord[];
}

export function reportHead(
  ledger: Ledger,
  cp: Checkpoint,
  kind: string,
  parameters: Record<string, unknown>,
  requestedBy: Requester,
  serviceUrl: string,
  header: string,
  subheader: string,
): ReportHead {
  return {
    format: PAYLOAD_FORMAT,
    kind,
    parameters,
    ledger: { origin: ledger.origin, keyId: ledger.keyId },
    checkpoint: {
      treeSize: cp.treeSize,
      rootHash: cp.rootHash,
      headHash: cp.headHash,
      signedAt: cp.signedAt,
    },
    requestedBy,
    madeAt: printUtc(cp.signedAt),
    serviceUrl,
    header,
    subheader,
  };
}

/** The case as every report heads it. */
export function caseFacts(kase: CaseView): ItemReportPayload['case'] {
  return {
    id: kase.id,
    number: kase.number,
    title: kase.title,
    fields: [
      ['Case number', kase.number],
      ['Title', kase.title],
      ['Legal basis', kase.legalBasis],
      ['Agency', kase.agency],
      ['Opened on', kase.openedOn],
      ['Case status', words(kase.status)],
    ],
  };
}

/** The events of one item up to `treeSize`, in ledger order. */
export function itemEventRows(db: Db, evidenceNo: string, treeSize: number): EventRow[] {
  return prepared(
    db,
    `SELECT * FROM events WHERE entity_type = 'item' AND entity_id = ? AND seq <= ? ORDER BY seq`,
  ).all(evidenceNo, treeSize) as EventRow[];
}

/**
 * An item's events (database rows) as the report's rows. `withEvents` keeps each ledger event
 * itself in the row (item reports: a verifier rehashes it); case reports keep only its hash.
 */
export function historyOf(
  rows: readonly EventRow[],
  siteName: string,
  names: NameSource,
  withEvents: boolean,
): History {
  return historyFrom(
    rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      actor: r.actor,
      occurredAt: r.occurred_at,
      hash: r.hash,
      data: JSON.parse(r.data) as Record<string, unknown>,
    })),
    siteName,
    names,
    withEvents ? (e) => recordOf(rows.find((r) => r.seq === e.seq)!) : undefined,
  );
}

/** An event row as exported (docs/ledger-format.md §2). */
export const recordOf = (r: EventRow) => JSON.parse(exportLineOf(r)) as LedgerRecord;

/** The kinds of event each entity's name or facts come from. */
const SOURCE_TYPES: Record<string, readonly string[]> = {
  case: ['case_opened', 'case_status_changed'],
  seizure: ['seizure_recorded'],
  user: ['user_created', 'user_role_changed'],
  location: ['location_created'],
  party: ['party_registered'],
};

/** The ledger's events up to a tree size, by entity; remembers every event it handed out. */
export class LedgerRecordSource implements RecordSource {
  private readonly used = new Map<number, LedgerRecord>();
  private readonly cache = new Map<string, LedgerRecord[]>();
  constructor(
    private readonly db: Db,
    private readonly treeSize: number,
  ) {}

  of(entityType: string, entityId: string): readonly LedgerRecord[] {
    const key = `${entityType}:${entityId}`;
    let list = this.cache.get(key);
    if (!list) {
      const types = SOURCE_TYPES[entityType] ?? [];
      list = (
        prepared(
          this.db,
          'SELECT * FROM events WHERE entity_type = ? AND entity_id = ? AND seq <= ? ORDER BY seq',
        ).all(entityType, entityId, this.treeSize) as EventRow[]
      )
        .filter((r) => types.includes(r.type))
        .map(recordOf);
      this.cache.set(key, list);
    }
    for (const e of list) this.used.set(e.seq, e);
    return list;
  }

  /** Every event handed out, in ledger order. */
  records(): LedgerRecord[] {
    return [...this.used.values()].sort((a, b) => a.seq - b.seq);
  }
}

/**
 * The payload of an item's chain-of-custody report: every fact it prints, at the checkpoint chosen
 * by reportCheckpoint (the latest one that already holds every event of the item).
 */
export function itemReportPayload(
  ledger: Ledger,
  evidenceNoText: string,
  requestedBy: Requester,
  serviceUrl: string,
  requestedCheckpoint?: number,
): { payload: ItemReportPayload; checkpoint: Checkpoint } {
  const db = ledger.db;
  const state = getCustodyState(db, evidenceNoText);
  const row = findItemRow(db, state.evidenceNo)!;
  const kase = getCase(db, row.case_id);
  const seizure = getSeizure(db, row.seizure_id);
  const covered = Math.max(row.last_seq, kase.updatedSeq, seizure.createdSeq);
  const cp = reportCheckpoint(ledger, covered, requestedCheckpoint);
  const source = new LedgerRecordSource(db, cp.treeSize);
  const itemEvents = itemEventRows(db, row.evidence_no, cp.treeSize).map(recordOf);
  const derived = deriveItemReport(itemEvents, source, requestedBy.id);
  const parameters: Record<string, unknown> = { evidenceNo: state.evidenceNo };
  if (requestedCheckpoint !== undefined) parameters.checkpoint = requestedCheckpoint;
  const head = reportHead(
    ledger,
    cp,
    'item_custody',
    parameters,
    requestedBy,
    serviceUrl,
    derived.header,
    derived.subheader,
  );
  return {
    payload: {
      ...head,
      kind: 'item_custody',
      case: derived.case,
      section: derived.section,
      sources: source.records(),
    },
    checkpoint: cp,
  };
}
