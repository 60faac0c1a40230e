import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Checkpoint } from '../../ledger/checkpoint';
import { type EventRow, exportLineOf } from '../../ledger/events-read';
import type { Ledger } from '../../ledger/ledger';
import { type CaseView, getCase } from '../cases/cases.service';
import { getCustodyState } from '../custody/custody.state';
import { findItemRow } from '../items/items.service';
import type { ItemRow } from '../items/items.view';
import { getSeizure, type SeizureView } from '../seizures/seizures.service';
import { describeEvent, Names, type Running } from './facts';
import { type Requester, reportCheckpoint } from './fingerprint';
import { printEvidenceNo, printMoney, printNumber, printTime, printUtc, words } from './words';

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
}

const TERMINAL = new Set(['item_destroyed', 'item_sold', 'item_released', 'item_transferred_to_agency']);

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

export function seizureFields(s: SeizureView): Field[] {
  const fields: Field[] = [
    ['Site', `${s.farmName}, ${s.region}`],
    ['Address', s.address],
    ['Seized at', printTime(s.seizedAt)],
    ['Seizing officer', s.seizingOfficer],
    ['Warrant or order', s.warrantRef],
    ['Legal ground', words(s.legalGround)],
    ['Outcome', words(s.outcome)],
  ];
  if (s.latitude !== null && s.longitude !== null)
    fields.splice(2, 0, ['Coordinates', `${s.latitude}, ${s.longitude}`]);
  return fields;
}

export function itemFields(r: ItemRow, names: Names): Field[] {
  const f: Field[] = [
    ['Category', words(r.category)],
    ['Make and model', [r.make, r.model].filter(Boolean).join(' ') || '—'],
    ['Serial number', r.serial_number ?? '—'],
    ['Quantity', `${printNumber(r.quantity)} ${r.unit}`],
  ];
  if (r.hashrate_ths !== null) f.push(['Hash rate', `${printNumber(r.hashrate_ths)} TH/s`]);
  if (r.power_w !== null) f.push(['Power draw', `${printNumber(r.power_w)} W`]);
  f.push(['Seal', r.seal_no ?? 'no seal'], ['Condition', r.condition ?? '—']);
  if (r.description) f.push(['Description', r.description]);
  if (r.parent_evidence_no) f.push(['Inside container', printEvidenceNo(r.parent_evidence_no)]);
  const where =
    r.status === 'checked_out'
      ? `checked out to ${names.party(r.holder_party_id)}`
      : r.location_code
        ? names.location(r.location_code)
        : '—';
  f.push(['Status at checkpoint', `${words(r.status)}; ${where}`]);
  if (r.custodian_user_id) f.push(['Custodian', names.user(r.custodian_user_id)]);
  return f;
}

/** The events of one item up to `treeSize`, in ledger order. */
export function itemEventRows(db: Db, evidenceNo: string, treeSize: number): EventRow[] {
  return prepared(
    db,
    `SELECT * FROM events WHERE entity_type = 'item' AND entity_id = ? AND seq <= ? ORDER BY seq`,
  ).all(evidenceNo, treeSize) as EventRow[];
}

export interface History {
  events: ReportEvent[];
  valuations: ItemSection['valuations'];
  disposition: ItemSection['disposition'];
}

/**
 * An item's events as the report's rows, with what they show. `withEvents` keeps each ledger event
 * itself in the row (item reports: a verifier rehashes it); case reports keep only its hash.
 */
export function historyOf(
  rows: readonly EventRow[],
  siteName: string,
  names: Names,
  withEvents: boolean,
): History {
  const running: Running = { location: null, custodian: null, holder: null, sealNo: null, siteName };
  const events: ReportEvent[] = [];
  const bySeq = new Map<number, ReportEvent>();
  const valuations: ItemSection['valuations'] = [];
  let disposition: ItemSection['disposition'] = null;
  for (const r of rows) {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    const cells = describeEvent(r.type, data, r.actor, running, names);
    const corrects = r.type === 'item_correction' && typeof data.corrects === 'number' ? data.corrects : null;
    // Members in RFC 8785 order, so a case report can serialise its items with JSON.stringify alone.
    const e: ReportEvent = {
      by: names.user(r.actor),
      correctedBy: [],
      corrects,
      details: cells.details,
      fromTo: cells.fromTo,
      hash: r.hash,
      seal: cells.seal,
      seq: r.seq,
      what: cells.what,
      when: printTime(r.occurred_at),
    };
    if (withEvents) e.event = JSON.parse(exportLineOf(r)) as Record<string, unknown>;
    events.push(e);
    bySeq.set(r.seq, e);
    if (corrects !== null) bySeq.get(corrects)?.correctedBy.push(r.seq);
    if (r.type === 'item_valued') {
      valuations.push({
        seq: r.seq,
        asOf: String(data.asOf),
        amount: printMoney(Number(data.amountMinor), String(data.currency)),
        method: words(String(data.method)),
        appraiser: String(data.appraiser),
        corrected: '',
      });
    }
    if (TERMINAL.has(r.type))
      disposition = { seq: r.seq, when: e.when, what: e.what, details: e.details, by: e.by };
  }
  for (const v of valuations) {
    const by = bySeq.get(v.seq)?.correctedBy ?? [];
    if (by.length > 0) v.corrected = `corrected by seq ${by.join(', ')}`;
  }
  return { events, valuations, disposition };
}

/** One item's section of a report: what it is, where it was seized, its history. */
export function itemSection(
  db: Db,
  row: ItemRow,
  seizure: SeizureView,
  treeSize: number,
  names: Names,
): ItemSection {
  const history = historyOf(itemEventRows(db, row.evidence_no, treeSize), seizure.farmName, names, true);
  return {
    evidenceNo: row.evidence_no,
    printed: printEvidenceNo(row.evidence_no),
    item: itemFields(row, names),
    seizure: seizureFields(seizure),
    ...history,
  };
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
  const names = new Names(db, cp.treeSize);
  const section = itemSection(db, row, seizure, cp.treeSize, names);
  const parameters: Record<string, unknown> = { evidenceNo: state.evidenceNo };
  if (requestedCheckpoint !== undefined) parameters.checkpoint = requestedCheckpoint;
  const head = reportHead(
    ledger,
    cp,
    'item_custody',
    parameters,
    requestedBy,
    serviceUrl,
    `Case ${kase.number} · Chain of custody of ${section.printed}`,
    kase.title,
  );
  return {
    payload: {
      ...head,
      kind: 'item_custody',
      case: caseFacts(kase),
      section,
    },
    checkpoint: cp,
  };
}
