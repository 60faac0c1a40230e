/**
 * An item report's printed facts as a pure function of ledger events: the item's own events, and the
 * case, seizure, user, location and party events the header and the names come from. The service
 * makes the payload with it; verify-report makes it again from the events the payload carries (each
 * proven to be in the signed tree) and compares. docs/ledger-format.md ("Reports", "How the printed
 * facts follow from the events") says the same in words, for verifiers written without this code.
 */

import { columnValues, eventColumnValues } from '../custody/custody.effects';
import { itemEventTypeOf, nextStatus } from '../custody/state-machine';
import type { ItemStatus } from '../items/items.enums';
import { categoryName } from '../labels/labels.layout';
import { PATH_SEPARATOR } from '../locations/locations.projector';
import { describeEvent, type NameSource, type Running } from './facts';
import type { Field, ItemSection, ReportEvent } from './item.payload';
import { printEvidenceNo, printLocationCode, printMoney, printNumber, printTime, words } from './words';

/** A ledger event exactly as exported (docs/ledger-format.md §2), `hash` included. */
export interface LedgerRecord {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  actor: string;
  data: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
  [member: string]: unknown;
}

/** Where the derivation finds the events of an entity (all of them up to the report's checkpoint). */
export interface RecordSource {
  of(entityType: string, entityId: string): readonly LedgerRecord[];
}

/** Names as the proven events give them; what no event names is printed as its id and listed. */
export class ProvenNames implements NameSource {
  /** What was printed without an event to prove it ("user usr_…", "location LC…"). */
  readonly unproven = new Set<string>();
  constructor(private readonly source: RecordSource) {}

  private first(entityType: string, id: string, type: string): LedgerRecord | undefined {
    return this.source.of(entityType, id).find((e) => e.type === type);
  }

  user(id: string | null | undefined): string {
    if (!id) return '—';
    if (id === 'system') return 'the service (system)';
    const events = this.source.of('user', id);
    const created = events.find((e) => e.type === 'user_created');
    if (!created) {
      this.unproven.add(`user ${id}`);
      return id;
    }
    let role = String(created.data.role);
    for (const e of events) if (e.type === 'user_role_changed') role = String(e.data.role);
    return `${String(created.data.displayName)} (${role})`;
  }

  /** The location's path: its name under its parents' names, and its printed code. */
  location(code: string | null | undefined): string {
    if (!code) return '—';
    const names: string[] = [];
    let at: string | undefined = code;
    const seen = new Set<string>();
    while (at && !seen.has(at)) {
      seen.add(at);
      const e = this.first('location', at, 'location_created');
      if (!e) {
        this.unproven.add(`location ${at}`);
        return printLocationCode(code);
      }
      names.unshift(String(e.data.name));
      at = e.data.parentCode as string | undefined;
    }
    return `${names.join(PATH_SEPARATOR)} (${printLocationCode(code)})`;
  }

  party(id: string | null | undefined): string {
    if (!id) return '—';
    const e = this.first('party', id, 'party_registered');
    if (!e) {
      this.unproven.add(`party ${id}`);
      return id;
    }
    return `${String(e.data.name)}, ${words(String(e.data.kind))}`;
  }
}

const TERMINAL = new Set(['item_destroyed', 'item_sold', 'item_released', 'item_transferred_to_agency']);

export interface History {
  events: ReportEvent[];
  valuations: ItemSection['valuations'];
  disposition: ItemSection['disposition'];
}

/** One event as history rows need it (a database row and an exported event both give this). */
export interface EventFacts {
  seq: number;
  type: string;
  actor: string;
  occurredAt: string;
  hash: string;
  data: Record<string, unknown>;
}

/**
 * An item's events as the report's rows, with what they show. `exported` keeps each ledger event
 * itself in the row (item reports: a verifier rehashes it); case reports keep only its hash.
 */
export function historyFrom(
  events: Iterable<EventFacts>,
  siteName: string,
  names: NameSource,
  exported?: (e: EventFacts) => Record<string, unknown>,
): History {
  const running: Running = { location: null, custodian: null, holder: null, sealNo: null, siteName };
  const rows: ReportEvent[] = [];
  const bySeq = new Map<number, ReportEvent>();
  const valuations: ItemSection['valuations'] = [];
  let disposition: ItemSection['disposition'] = null;
  for (const r of events) {
    const data = r.data;
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
      when: printTime(r.occurredAt),
    };
    if (exported) e.event = exported(r);
    rows.push(e);
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
  return { events: rows, valuations, disposition };
}

/** The item's columns as the projections keep them, replayed from its events (registration first). */
export interface ItemNow {
  [column: string]: unknown;
  status: ItemStatus;
}

/** Replays an item's events as the items and custody projections do: its state at the last of them. */
export function itemNow(events: readonly LedgerRecord[]): ItemNow {
  const reg = events[0]!;
  const d = reg.data;
  const now: ItemNow = { status: 'registered' };
  for (const [column, value] of Object.entries(
    columnValues('registered', d, reg.actor, new Set(Object.keys(d))),
  ))
    now[column] = value;
  for (const e of events.slice(1)) {
    const type = itemEventTypeOf(e.type);
    if (!type) continue;
    Object.assign(now, eventColumnValues(type, e.data, e.actor));
    now.status = nextStatus(now.status, type) ?? now.status;
  }
  return now;
}

const text = (v: unknown) => (v === undefined || v === null ? null : String(v));

/** The "Evidence" fields: what the item is (registration and its corrections) and where it is now. */
export function itemFieldsFrom(events: readonly LedgerRecord[], names: NameSource): Field[] {
  const reg = events[0]!.data;
  const now = itemNow(events);
  const make = text(now.make);
  const model = text(now.model);
  const f: Field[] = [
    ['Category', categoryName(String(reg.category))],
    ['Make and model', [make, model].filter(Boolean).join(' ') || '—'],
    ['Serial number', text(now.serial_number) ?? '—'],
    ['Quantity', `${printNumber(Number(now.quantity))} ${String(now.unit)}`],
  ];
  if (now.hashrate_ths != null) f.push(['Hash rate', `${printNumber(Number(now.hashrate_ths))} TH/s`]);
  if (now.power_w != null) f.push(['Power draw', `${printNumber(Number(now.power_w))} W`]);
  f.push(['Seal', text(now.seal_no) ?? 'no seal'], ['Condition', text(now.condition) ?? '—']);
  if (now.description) f.push(['Description', String(now.description)]);
  if (reg.parentEvidenceNo) f.push(['Inside container', printEvidenceNo(String(reg.parentEvidenceNo))]);
  const where =
    now.status === 'checked_out'
      ? `checked out to ${names.party(text(now.holder_party_id))}`
      : now.location_code
        ? names.location(String(now.location_code))
        : '—';
  f.push(['Status at checkpoint', `${words(now.status)}; ${where}`]);
  if (now.custodian_user_id) f.push(['Custodian', names.user(String(now.custodian_user_id))]);
  return f;
}

/** The case as every report heads it, from its case_opened and case_status_changed events. */
export function caseFactsFrom(events: readonly LedgerRecord[]) {
  const opened = events.find((e) => e.type === 'case_opened');
  if (!opened) return null;
  const d = opened.data;
  let status = 'open';
  for (const e of events) if (e.type === 'case_status_changed') status = String(e.data.status);
  const fields: Field[] = [
    ['Case number', String(d.number)],
    ['Title', String(d.title)],
    ['Legal basis', String(d.legalBasis)],
    ['Agency', String(d.agency)],
    ['Opened on', String(d.openedOn)],
    ['Case status', words(status)],
  ];
  return { id: opened.entityId, number: String(d.number), title: String(d.title), fields };
}

/** The seizure fields, from its seizure_recorded event. */
export function seizureFieldsFrom(e: LedgerRecord): Field[] {
  const d = e.data;
  const fields: Field[] = [
    ['Site', `${String(d.farmName)}, ${String(d.region)}`],
    ['Address', String(d.address)],
    ['Seized at', printTime(String(d.seizedAt))],
    ['Seizing officer', String(d.seizingOfficer)],
    ['Warrant or order', String(d.warrantRef)],
    ['Legal ground', words(String(d.legalGround))],
    ['Outcome', words(String(d.outcome))],
  ];
  if (d.latitude != null && d.longitude != null)
    fields.splice(2, 0, ['Coordinates', `${String(d.latitude)}, ${String(d.longitude)}`]);
  return fields;
}

/** What an item report prints, all of it derived from events. */
export interface DerivedItemReport {
  case: { id: string; number: string; title: string; fields: Field[] };
  section: ItemSection;
  header: string;
  subheader: string;
  /** The requester as the ledger names them at the checkpoint ("name (role)"), or null. */
  requester: { name: string; role: string } | null;
  /** What was printed without an event to prove it. */
  unproven: string[];
}

/**
 * Everything an item report prints from the item's events (registration first, in ledger order)
 * and the case, seizure, user, location and party events `source` gives.
 */
export function deriveItemReport(
  itemEvents: readonly LedgerRecord[],
  source: RecordSource,
  requesterId: string,
): DerivedItemReport {
  const reg = itemEvents[0];
  if (reg?.type !== 'item_registered') throw new Error('the item’s first event is not its registration');
  const names = new ProvenNames(source);
  const unproven: string[] = [];
  const caseId = String(reg.data.caseId);
  const kase = caseFactsFrom(source.of('case', caseId));
  if (!kase) unproven.push(`case ${caseId}`);
  const caseFacts = kase ?? { id: caseId, number: caseId, title: '', fields: [] };
  const seizureEvent = source
    .of('seizure', String(reg.data.seizureId))
    .find((e) => e.type === 'seizure_recorded');
  if (!seizureEvent) unproven.push(`seizure ${String(reg.data.seizureId)}`);
  const evidenceNo = reg.entityId;
  const history = historyFrom(
    itemEvents,
    seizureEvent ? String(seizureEvent.data.farmName) : '',
    names,
    (e) => ({
      ...(e as LedgerRecord),
    }),
  );
  const section: ItemSection = {
    evidenceNo,
    printed: printEvidenceNo(evidenceNo),
    item: itemFieldsFrom(itemEvents, names),
    seizure: seizureEvent ? seizureFieldsFrom(seizureEvent) : [],
    ...history,
  };
  const requesterEvents = source.of('user', requesterId);
  let requester: DerivedItemReport['requester'] = null;
  const created = requesterEvents.find((e) => e.type === 'user_created');
  if (created) {
    let role = String(created.data.role);
    for (const e of requesterEvents) if (e.type === 'user_role_changed') role = String(e.data.role);
    requester = { name: String(created.data.displayName), role };
  }
  return {
    case: caseFacts,
    section,
    header: `Case ${caseFacts.number} · Chain of custody of ${section.printed}`,
    subheader: caseFacts.title,
    requester,
    unproven: [...unproven, ...names.unproven],
  };
}
