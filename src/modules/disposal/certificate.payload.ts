import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Ledger } from '../../ledger/ledger';
import { AppError } from '../../lib/errors';
import { findDocument } from '../documents/documents.service';
import type { ItemCategory } from '../items/items.enums';
import { Names } from '../reports/facts';
import { type Requester, reportCheckpoint } from '../reports/fingerprint';
import { type ReportHead, reportHead } from '../reports/item.payload';
import { printEvidenceNo, printMoney, printTime, printUtc, words } from '../reports/words';
import { type Disposition, PROPERTY_UNIT_ROLES } from './disposal.enums';
import type { Witness } from './disposal.witnesses';

type Field = [label: string, value: string];
type Data = Record<string, unknown>;

export const CERTIFICATE_TITLES: Record<Disposition, string> = {
  destroy: 'Certificate of destruction',
  sell: 'Record of sale',
  release_to_owner: 'Record of release to the owner',
  transfer_to_agency: 'Record of transfer to another agency',
};

export interface CertificateItem {
  position: number;
  evidenceNo: string;
  printed: string;
  category: ItemCategory;
  make: string;
  model: string;
  serial: string;
  valuation: string;
  /** The seq of its terminal event (or of its reported_missing event). */
  seq: number;
}

export interface CertificatePayload extends ReportHead {
  kind: 'disposal_certificate';
  title: string;
  certificateNo: string;
  disposalId: string;
  disposition: Disposition;
  authority: Field[];
  approval: Field[];
  disposal: Field[];
  witnesses: { name: string; title: string; agency: string }[];
  items: CertificateItem[];
  totals: { category: string; count: number; value: string }[];
  total: { count: number; value: string };
  anomalies: { evidenceNo: string; printed: string; description: string; resolution: string; seq: number }[];
  documents: { sha256: string; what: string }[];
  /** The disposal's own events (proposal … completion, resolutions) the certificate rests on. */
  seqs: number[];
}

interface Row {
  seq: number;
  type: string;
  actor: string;
  occurred_at: string;
  recorded_at: string;
  data: string;
}

const eventsOf = (db: Db, entityType: string, entityId: string, treeSize: number) =>
  (
    prepared(
      db,
      `SELECT seq, type, actor, occurred_at, recorded_at, data FROM events
       WHERE entity_type = ? AND entity_id = ? AND seq <= ? ORDER BY seq`,
    ).all(entityType, entityId, treeSize) as Row[]
  ).map((r) => ({ ...r, data: JSON.parse(r.data) as Data }));

/** An item's description and latest valuation as its events say at `treeSize`, corrections applied. */
function itemFacts(db: Db, evidenceNo: string, treeSize: number, upTo: number) {
  const events = eventsOf(db, 'item', evidenceNo, treeSize);
  const bySeq = new Map(events.map((e) => [e.seq, { ...e.data }]));
  for (const e of events) {
    if (e.type !== 'item_correction') continue;
    const target = bySeq.get(e.data.corrects as number);
    if (target) Object.assign(target, e.data.fields as Data);
  }
  const registered = events.find((e) => e.type === 'item_registered');
  const reg = (registered ? bySeq.get(registered.seq) : {}) as Data;
  const valued = events.filter((e) => e.type === 'item_valued' && e.seq <= upTo).at(-1);
  const v = valued ? (bySeq.get(valued.seq) as Data) : null;
  return {
    category: reg.category as ItemCategory,
    make: (reg.make as string | undefined) ?? '',
    model: (reg.model as string | undefined) ?? '',
    serial: (reg.serialNumber as string | undefined) ?? '',
    value: v
      ? { amountMinor: v.amountMinor as number, currency: v.currency as string, asOf: v.asOf as string }
      : null,
    events,
  };
}

const moneyTotals = (values: { amountMinor: number; currency: string }[]) => {
  const by = new Map<string, number>();
  for (const v of values) by.set(v.currency, (by.get(v.currency) ?? 0) + v.amountMinor);
  const text = [...by].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => printMoney(n, c));
  return text.length > 0 ? text.join('; ') : 'not valued';
};

function witnessLine(w: Witness) {
  if (w.kind === 'outside') return { name: w.name, title: w.title, agency: w.agency };
  const unit = (PROPERTY_UNIT_ROLES as readonly string[]).includes(w.role);
  return {
    name: w.name,
    title: words(w.role),
    agency: unit
      ? 'the property unit (user of this service)'
      : 'outside the property unit (user of this service)',
  };
}

/**
 * Everything the certificate prints, from the ledger alone: the disposal's events and each item's
 * events up to the checkpoint (the item as registered, corrections applied, its latest valuation before
 * the disposal). The same checkpoint always gives the same payload.
 */
export function certificatePayload(
  ledger: Ledger,
  disposalId: string,
  requestedBy: Requester,
  serviceUrl: string,
  checkpoint?: number,
): { payload: CertificatePayload; checkpoint: ReturnType<typeof reportCheckpoint> } {
  const db = ledger.db;
  const head = ledger.headSeq;
  const all = eventsOf(db, 'disposal', disposalId, head);
  if (all.length === 0)
    throw new AppError('disposal_not_found', `no disposal "${disposalId}"`, { disposalId });
  const completedAt = all.find((e) => e.type === 'disposal_completed');
  if (!completedAt) {
    throw new AppError(
      'disposal_not_completed',
      `disposal ${disposalId} is not completed: it has no certificate yet`,
      {
        disposalId,
      },
    );
  }
  const cp = reportCheckpoint(ledger, completedAt.seq, checkpoint);
  const events = all.filter((e) => e.seq <= cp.treeSize);
  const names = new Names(db, cp.treeSize);
  const proposal = events[0]!;
  const approval = events.find((e) => e.type === 'disposal_approved')!;
  const completion = events.find((e) => e.type === 'disposal_completed')!;
  const p = proposal.data as {
    disposition: Disposition;
    authority: { kind: string; number: string; date: string; issuer: string; document?: string };
    items: string[];
    note?: string;
  };
  const c = completion.data as {
    certificateNo: string;
    place: string;
    method: string;
    contractor?: string;
    transport?: string;
    witnesses: Witness[];
    documents?: string[];
    missing: string[];
    sale?: { buyer: string; buyerReference?: string; proceeds: { amountMinor: number; currency: string } };
    owner?: { name: string; identityDocument: string };
    agency?: { name: string; reference?: string };
    note?: string;
  };
  const title = CERTIFICATE_TITLES[p.disposition];
  const missing = new Set(c.missing);
  const resolutions = new Map(
    events
      .filter((e) => e.type === 'disposal_discrepancy_resolved')
      .map((e) => [e.data.evidenceNo as string, e] as const),
  );

  const items: CertificateItem[] = [];
  const anomalies: CertificatePayload['anomalies'] = [];
  const valued: { category: string; value: { amountMinor: number; currency: string } | null }[] = [];
  p.items.forEach((evidenceNo) => {
    const f = itemFacts(db, evidenceNo, cp.treeSize, completion.seq);
    const closing = f.events.find((e) => e.seq > completion.seq && e.data.disposalId === disposalId);
    const printed = printEvidenceNo(evidenceNo);
    const description = [words(f.category), f.make, f.model, f.serial ? `s/n ${f.serial}` : '']
      .filter(Boolean)
      .join(' ');
    if (missing.has(evidenceNo)) {
      const r = resolutions.get(evidenceNo);
      anomalies.push({
        evidenceNo,
        printed,
        description,
        resolution: r
          ? `${r.data.resolution === 'found' ? 'found' : 'written off'} on ${printUtc(r.recorded_at)} by ${names.user(r.actor)}: ${r.data.reason as string}`
          : 'not scanned at the disposal: reported missing; awaiting a supervisor’s resolution',
        seq: closing?.seq ?? completion.seq,
      });
      return;
    }
    valued.push({ category: f.category, value: f.value });
    items.push({
      position: items.length + 1,
      evidenceNo,
      printed,
      category: f.category,
      make: f.make,
      model: f.model,
      serial: f.serial,
      valuation: f.value
        ? `${printMoney(f.value.amountMinor, f.value.currency)} (${f.value.asOf})`
        : 'not valued',
      seq: closing?.seq ?? completion.seq,
    });
  });

  const categories = [...new Set(valued.map((v) => v.category))].sort();
  const totals = categories.map((category) => {
    const these = valued.filter((v) => v.category === category);
    return {
      category: words(category),
      count: these.length,
      value: moneyTotals(these.flatMap((v) => (v.value ? [v.value] : []))),
    };
  });
  const documents = [
    ...new Set([
      ...(p.authority.document ? [p.authority.document] : []),
      ...((proposal.data.documents as string[] | undefined) ?? []),
      ...(c.documents ?? []),
    ]),
  ].map((sha256) => {
    const d = findDocument(db, sha256);
    return {
      sha256,
      what: d
        ? `${words(d.kind)}${d.title ? `: ${d.title}` : ''} (${d.mediaType}, ${d.size} bytes)`
        : 'document',
    };
  });
  const disposal: Field[] = [
    ['Date and time', printTime(completion.occurred_at)],
    ['Place', c.place],
    ['Method', c.method],
    ['Contractor', c.contractor ?? '—'],
    ['Transport', c.transport ?? '—'],
  ];
  if (c.sale) {
    disposal.push(
      ['Buyer', `${c.sale.buyer}${c.sale.buyerReference ? ` (${c.sale.buyerReference})` : ''}`],
      ['Proceeds', printMoney(c.sale.proceeds.amountMinor, c.sale.proceeds.currency)],
    );
  }
  if (c.owner)
    disposal.push(['Released to', `${c.owner.name}, identity document ${c.owner.identityDocument}`]);
  if (c.agency)
    disposal.push([
      'Transferred to',
      `${c.agency.name}${c.agency.reference ? ` (${c.agency.reference})` : ''}`,
    ]);
  disposal.push(['Recorded by', `${names.user(completion.actor)} on ${printUtc(completion.recorded_at)}`]);
  if (c.note) disposal.push(['Note', c.note]);

  const headText = `${title} ${c.certificateNo}`;
  const payload: CertificatePayload = {
    ...reportHead(
      ledger,
      cp,
      'disposal_certificate',
      { disposalId, checkpoint: cp.treeSize },
      requestedBy,
      serviceUrl,
      headText,
      `${words(p.authority.kind)} ${p.authority.number} of ${p.authority.date}, ${p.authority.issuer}`,
    ),
    kind: 'disposal_certificate',
    title,
    certificateNo: c.certificateNo,
    disposalId,
    disposition: p.disposition,
    authority: [
      ['Authority', words(p.authority.kind)],
      ['Number', p.authority.number],
      ['Date', p.authority.date],
      ['Issued by', p.authority.issuer],
      ['Scanned order', p.authority.document ?? 'not attached'],
    ],
    approval: [
      ['Proposed by', `${names.user(proposal.actor)} on ${printUtc(proposal.recorded_at)}`],
      ['Approved by', `${names.user(approval.actor)} on ${printUtc(approval.recorded_at)}`],
      ...(approval.data.note ? ([['Approval note', approval.data.note as string]] as Field[]) : []),
      ['Disposal batch', disposalId],
    ],
    disposal,
    witnesses: c.witnesses.map(witnessLine),
    items,
    totals,
    total: { count: items.length, value: moneyTotals(valued.flatMap((v) => (v.value ? [v.value] : []))) },
    anomalies,
    documents,
    seqs: events.map((e) => e.seq),
  };
  return { payload, checkpoint: cp };
}
