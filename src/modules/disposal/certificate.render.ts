import {
  closingFacts,
  type Evidence,
  evidenceAttachments,
  reportFrame,
  VERIFY_STEPS,
} from '../reports/item.render';
import { closingBlock } from '../reports/pdf/closing';
import type { PdfSpec } from '../reports/pdf/stream';
import type { Column } from '../reports/pdf/writer';
import type { CertificatePayload } from './certificate.payload';

/** The item table's columns (what a verifier compares with the payload, cell by cell). */
export const ITEM_COLUMNS: readonly Column[] = [
  { header: '#', width: 24 },
  { header: 'Evidence number', width: 80, font: 'mono' },
  { header: 'Category', width: 50 },
  { header: 'Make', width: 48 },
  { header: 'Model', width: 76 },
  { header: 'Serial number', width: 82, font: 'mono' },
  { header: 'Last valuation (as of)' },
  { header: 'Seq', width: 30, font: 'mono' },
];

export const itemCells = (i: CertificatePayload['items'][number]) => [
  String(i.position),
  i.printed,
  i.category.replace(/_/g, ' '),
  i.make || '—',
  i.model || '—',
  i.serial || '—',
  i.valuation,
  String(i.seq),
];

/** A signature cell: room to sign, on a line. */
const SIGNATURE_ROW = `\n\n${'_'.repeat(28)}`;

/** The disposal certificate as the shared PDF layer draws it: a pure function of payload and evidence. */
export async function certificateSpec(p: CertificatePayload, evidence: Evidence): Promise<PdfSpec> {
  const facts = closingFacts(p, evidence.fingerprint);
  return {
    ...reportFrame(
      p,
      evidence.fingerprint,
      `${p.title} ${p.certificateNo}`,
      `${p.title} ${p.certificateNo} (disposal ${p.disposalId}) at ledger checkpoint ${p.checkpoint.treeSize}`,
    ),
    content: async (w) => {
      w.heading(`${p.title} № ${p.certificateNo}`, 17);
      w.paragraph(
        `${p.total.count} item${p.total.count === 1 ? '' : 's'} disposed of (${p.disposition.replace(/_/g, ' ')}); ` +
          `${p.anomalies.length} anomal${p.anomalies.length === 1 ? 'y' : 'ies'}. Made on ${p.madeAt} for ` +
          `${p.requestedBy.name} (${p.requestedBy.role}), from ledger checkpoint ${p.checkpoint.treeSize}.`,
        { size: 9 },
      );
      w.space(4);
      w.heading('Authority', 11);
      w.fields(p.authority);
      w.heading('Review and approval', 11);
      w.fields(p.approval);
      w.heading('The disposal', 11);
      w.fields(p.disposal);

      w.heading(`Witnesses (${p.witnesses.length})`, 11);
      w.paragraph(
        'Each witness saw the items themselves, is not in their chain of custody, and signs below.',
        { size: 8.5 },
      );
      w.beginTable(
        [
          { header: 'Name', width: 120 },
          { header: 'Title', width: 110 },
          { header: 'Agency', width: 130 },
          { header: 'Signature' },
        ],
        9,
      );
      for (const x of p.witnesses) w.row([x.name, x.title, x.agency, SIGNATURE_ROW]);
      w.endTable();

      w.heading(`Items (${p.items.length})`, 11);
      w.beginTable(ITEM_COLUMNS, 7.5);
      for (const item of p.items) {
        w.row(itemCells(item));
        await w.breathe();
      }
      w.endTable();

      w.heading('Totals by category', 11);
      w.beginTable(
        [
          { header: 'Category', width: 140 },
          { header: 'Items', width: 60 },
          { header: 'Last valuation, total' },
        ],
        9,
      );
      for (const t of p.totals) w.row([t.category, String(t.count), t.value]);
      w.row(['All categories', String(p.total.count), p.total.value], { font: 'bold' });
      w.endTable();

      w.heading('Anomalies', 11);
      if (p.anomalies.length === 0) {
        w.paragraph('None: every item of the batch was scanned as it was disposed of.', { size: 9 });
      } else {
        w.beginTable(
          [
            { header: 'Evidence number', width: 84, font: 'mono' },
            { header: 'Item', width: 150 },
            { header: 'Missing at disposal; resolution' },
            { header: 'Seq', width: 34, font: 'mono' },
          ],
          8,
        );
        for (const a of p.anomalies)
          w.row([a.printed, a.description, a.resolution, String(a.seq)], { fill: '#fff1cc' });
        w.endTable();
      }

      if (p.documents.length > 0) {
        w.heading('Attached documents', 11);
        w.beginTable(
          [
            { header: 'What', width: 190 },
            { header: 'SHA-256 (GET /api/v1/documents/…)', font: 'mono' },
          ],
          7.5,
        );
        for (const d of p.documents) w.row([d.what, d.sha256]);
        w.endTable();
      }

      w.ensure(90);
      w.heading('Signatures', 11);
      w.beginTable(
        [{ header: 'Role', width: 170 }, { header: 'Name', width: 170 }, { header: 'Signature' }],
        9,
      );
      w.row(['Approved by (supervisor)', p.approval[1]![1].replace(/ on .*$/, ''), SIGNATURE_ROW]);
      w.row([
        'Completed by (supervisor)',
        (p.disposal.find(([l]) => l === 'Recorded by')?.[1] ?? '').replace(/ on .*$/, ''),
        SIGNATURE_ROW,
      ]);
      w.endTable();
      closingBlock(w, facts, VERIFY_STEPS);
    },
    attachments: () => evidenceAttachments(evidence),
  };
}
