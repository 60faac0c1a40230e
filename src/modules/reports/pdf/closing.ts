import { qrCode } from './barcode';
import type { ReportWriter } from './writer';
import { PAGE } from './writer';

/** What the closing block of every report states: who it was made for, from which signed state. */
export interface ClosingFacts {
  /** The checkpoint's time, with its offset as the report prints times. */
  madeAt: string;
  requestedBy: { name: string; role: string };
  checkpoint: { treeSize: number; rootHash: string };
  /** The checkpoint key's C2SP key id (hex) and its name (the ledger origin). */
  key: { keyId: string; name: string };
  fingerprint: string;
  /** Where the service answers for this report: …/api/v1/reports/<fingerprint>. */
  url: string;
}

/** The closing sentence, exactly as printed (verifiers may look for it). */
export function closingSentence(f: ClosingFacts): string {
  return (
    `Made on ${f.madeAt} for ${f.requestedBy.name} (${f.requestedBy.role}) from ledger checkpoint ` +
    `${f.checkpoint.treeSize}, root ${f.checkpoint.rootHash}, signed by key ${f.key.keyId} (${f.key.name}); ` +
    `fingerprint ${f.fingerprint}.`
  );
}

/**
 * The closing block: the sentence above, then how a reader checks the report, with a QR code of the
 * fingerprint's URL. `steps` are the report's own verification instructions (one paragraph each).
 */
export function closingBlock(w: ReportWriter, f: ClosingFacts, steps: readonly string[]): void {
  const qrSize = 96;
  w.ensure(qrSize + 120);
  w.heading('How this report was made and how to check it', 11);
  // The fingerprint goes on a line of its own in a fixed-width font: a streamed report lays out its
  // pages before its fingerprint is known, and the layout must not depend on its digits.
  const sentence = closingSentence(f);
  const cut = sentence.lastIndexOf(' ', sentence.length - f.fingerprint.length - 2);
  w.paragraph(sentence.slice(0, cut), { size: 9 });
  w.paragraph(sentence.slice(cut + 1), { size: 9, font: 'mono' });
  for (const step of steps) w.paragraph(step, { size: 8.5, indent: 10 });
  w.space(4);
  w.ensure(qrSize + 14);
  const top = w.y;
  w.code(qrCode(f.url), qrSize, qrSize);
  const after = w.y;
  w.y = top + 8;
  const textX = PAGE.left + qrSize + 12;
  w.paragraph('Scan to ask the service what this report was made of:', {
    size: 8,
    indent: textX - PAGE.left,
  });
  w.paragraph(f.url, { size: 8, font: 'mono', indent: textX - PAGE.left });
  w.y = Math.max(w.y, after + 4);
}
