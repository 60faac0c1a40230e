import type { ItemReportPayload, ItemSection, ReportEvent, ReportHead } from './item.payload';
import type { Attachment } from './pdf/attachments';
import { code128 } from './pdf/barcode';
import { type ClosingFacts, closingBlock } from './pdf/closing';
import type { PdfSpec } from './pdf/stream';
import { type Column, PAGE, type ReportWriter } from './pdf/writer';

/** The history table's columns (also what a verifier compares with the payload, cell by cell). */
export const HISTORY_COLUMNS: readonly Column[] = [
  { header: 'Date and time', width: 60 },
  { header: 'Event', width: 82 },
  { header: 'From → to', width: 90 },
  { header: 'Purpose and details' },
  { header: 'Seal', width: 62 },
  { header: 'By (name, role)', width: 74 },
  { header: 'Seq', width: 32, font: 'mono' },
];

const CORRECTION_FILL = '#fff1cc';

/** The row cells of an event, exactly as printed. */
export function eventCells(e: ReportEvent): string[] {
  const what = e.correctedBy.length > 0 ? `${e.what} [corrected by seq ${e.correctedBy.join(', ')}]` : e.what;
  return [e.when, what, e.fromTo, e.details, e.seal, e.by, String(e.seq)];
}

/** Ledger order, except that each correction sits right under the event it corrects. */
export function displayOrder(events: readonly ReportEvent[]): ReportEvent[] {
  const seqs = new Set(events.map((e) => e.seq));
  const under = new Map<number, ReportEvent[]>();
  for (const e of events) {
    if (e.corrects !== null && seqs.has(e.corrects)) {
      const list = under.get(e.corrects) ?? [];
      list.push(e);
      under.set(e.corrects, list);
    }
  }
  const out: ReportEvent[] = [];
  for (const e of events) {
    if (e.corrects !== null && seqs.has(e.corrects)) continue;
    out.push(e, ...(under.get(e.seq) ?? []));
  }
  return out;
}

/** One item's section: number and barcode, what it is, where it was seized, its history. */
export async function drawItemSection(w: ReportWriter, s: ItemSection, barcode: boolean, compact = false) {
  w.ensure(compact ? 120 : 200);
  if (barcode) {
    const top = w.y;
    w.heading(`Evidence ${s.printed}`, compact ? 12 : 15);
    w.paragraph(`Barcode value ${s.evidenceNo}`, { size: 8, font: 'mono' });
    const after = w.y;
    w.y = top;
    w.code(code128(s.evidenceNo), 190, 34, PAGE.right - 190, 'right');
    w.y = Math.max(after, w.y) + 4;
  } else {
    w.heading(`Evidence ${s.printed}`, compact ? 12 : 15);
  }
  w.fields(s.item);
  if (!compact) {
    w.heading('Seizure', 11);
    w.fields(s.seizure);
  }
  w.heading(`Custody history: ${s.events.length} events in ledger order`, compact ? 10 : 11);
  w.beginTable(HISTORY_COLUMNS, 7.5);
  for (const e of displayOrder(s.events)) {
    w.row(eventCells(e), e.corrects !== null ? { fill: CORRECTION_FILL } : {});
    await w.breathe();
  }
  w.endTable();
  if (s.valuations.length > 0) {
    w.heading('Valuation history', compact ? 10 : 11);
    w.beginTable(
      [
        { header: 'As of', width: 62 },
        { header: 'Amount', width: 100 },
        { header: 'Method', width: 90 },
        { header: 'Appraiser' },
        { header: 'Note', width: 90 },
        { header: 'Seq', width: 28, font: 'mono' },
      ],
      7.5,
    );
    for (const v of s.valuations)
      w.row([v.asOf, v.amount, v.method, v.appraiser, v.corrected, String(v.seq)]);
    w.endTable();
  }
  if (!compact || s.disposition) {
    w.heading('Final disposition', compact ? 10 : 11);
    if (s.disposition) {
      const d = s.disposition;
      w.fields([
        ['Disposition', d.what],
        ['When', d.when],
        ['Details', d.details || '—'],
        ['Recorded by', d.by],
        ['Ledger seq', String(d.seq)],
      ]);
    } else w.paragraph('None recorded at this checkpoint: the item is still held.', { size: 9 });
  }
}

export function closingFacts(head: ReportHead, fingerprint: string): ClosingFacts {
  return {
    madeAt: head.madeAt,
    requestedBy: { name: head.requestedBy.name, role: head.requestedBy.role },
    checkpoint: { treeSize: head.checkpoint.treeSize, rootHash: head.checkpoint.rootHash },
    key: { keyId: head.ledger.keyId, name: head.ledger.origin },
    fingerprint,
    url: reportUrl(head, fingerprint),
  };
}

/** The footer every fingerprinted report prints on each page. */
export const reportFooter = (treeSize: number, fingerprint: string) =>
  `Checkpoint ${treeSize} · fingerprint ${fingerprint.slice(0, 16)}…`;

/**
 * The document info and page frame every fingerprinted report shares: dated at its checkpoint (so
 * the same report at the same checkpoint is the same bytes), the fingerprint in its keywords and footer.
 */
export function reportFrame(
  head: ReportHead,
  fingerprint: string,
  title: string,
  subject: string,
): Pick<PdfSpec, 'info' | 'page'> {
  return {
    info: {
      title,
      subject,
      author: `${head.requestedBy.name} (${head.requestedBy.role})`,
      date: new Date(head.checkpoint.signedAt),
      keywords: `fingerprint ${fingerprint}`,
    },
    page: {
      header: head.header,
      subheader: head.subheader,
      footer: reportFooter(head.checkpoint.treeSize, fingerprint),
    },
  };
}

export const reportUrl = (head: ReportHead, fingerprint: string) =>
  `${head.serviceUrl}/api/v1/reports/${fingerprint}`;

export const VERIFY_STEPS = [
  'This file is PDF/A-3 and carries its own evidence: payload.json holds every fact printed here as RFC 8785 canonical JSON, and its SHA-256 is the fingerprint above; checkpoint.txt is the signed ledger checkpoint (a C2SP signed note); public-key.pem is the Ed25519 key that signs it; proofs/seq-N.tlog-proof proves that event N is in the tree whose root the checkpoint signs (C2SP tlog-proof).',
  'To check it without this service: run "custody verify-report FILE.pdf", or "python3 scripts/verify-report.py FILE.pdf", which follows docs/ledger-format.md (section "Reports") alone: extract the files (qpdf --show-attachment=payload.json FILE.pdf), hash payload.json, verify the checkpoint signature with the key, verify each event hash and its inclusion proof against the signed root, derive what is printed from those events, and compare it with the payload and the pages. Give the ledger’s public key (--key, --public-key): without it they check the signature only against the key this file carries, and exit 3.',
  'Then compare the key id with the key the ledger names in its first event, and the checkpoint with one published by the service or a witness: a report can only be as trustworthy as the key that signed its checkpoint.',
];

/** What an item report carries inside: payload, checkpoint, key, one inclusion proof per event. */
export interface Evidence {
  canonicalPayload: string;
  fingerprint: string;
  checkpointNote: string;
  publicKeyPem: string;
  /** seq → tlog-proof text; empty when proofs are not available. */
  proofs: ReadonlyMap<number, string>;
}

export function evidenceAttachments(e: Evidence): Attachment[] {
  const files: Attachment[] = [
    {
      name: 'payload.json',
      content: e.canonicalPayload,
      type: 'application/json',
      description: `The facts this report prints, RFC 8785 canonical JSON; SHA-256 ${e.fingerprint}`,
      relationship: 'Source',
    },
    {
      name: 'checkpoint.txt',
      content: e.checkpointNote,
      type: 'text/plain',
      description: 'The signed ledger checkpoint the report was made from (C2SP signed note)',
      relationship: 'Supplement',
    },
    {
      name: 'public-key.pem',
      content: e.publicKeyPem,
      type: 'application/x-pem-file',
      description: 'The Ed25519 key that signs the ledger checkpoints',
      relationship: 'Supplement',
    },
  ];
  for (const [seq, proof] of [...e.proofs].sort((a, b) => a[0] - b[0])) {
    files.push({
      name: `proofs/seq-${seq}.tlog-proof`,
      content: proof,
      type: 'text/plain',
      description: `Inclusion proof of ledger event ${seq} in the checkpoint's tree (C2SP tlog-proof)`,
      relationship: 'Supplement',
    });
  }
  return files;
}

/** The item chain-of-custody report as the PDF layer draws it: a pure function of payload and evidence. */
export async function itemReportSpec(p: ItemReportPayload, evidence: Evidence): Promise<PdfSpec> {
  const facts = closingFacts(p, evidence.fingerprint);
  return {
    ...reportFrame(
      p,
      evidence.fingerprint,
      `Chain of custody ${p.section.printed}, case ${p.case.number}`,
      `Chain-of-custody report of ${p.section.printed} at ledger checkpoint ${p.checkpoint.treeSize}`,
    ),
    content: async (w) => {
      w.heading('Chain-of-custody report', 17);
      w.paragraph(
        `Made on ${p.madeAt} for ${p.requestedBy.name} (${p.requestedBy.role}), from ledger checkpoint ${p.checkpoint.treeSize}.`,
        { size: 9 },
      );
      w.space(4);
      w.heading('Case', 11);
      w.fields(p.case.fields);
      await drawItemSection(w, p.section, true);
      closingBlock(w, facts, VERIFY_STEPS);
    },
    attachments: () => evidenceAttachments(evidence),
  };
}
