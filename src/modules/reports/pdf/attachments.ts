/** A file the report carries inside itself (PDF/A-3 associated file). */
export interface Attachment {
  name: string;
  content: Buffer | string;
  /** MIME type, e.g. application/json. */
  type: string;
  description: string;
  /** `Source`: the data the report was made from (its payload); `Supplement`: what proves it. */
  relationship: 'Source' | 'Data' | 'Supplement';
}

/** Attaches files with fixed dates (the checkpoint's time), so the same report is the same bytes. */
export function attachFiles(doc: PDFKit.PDFDocument, files: readonly Attachment[], date: Date): void {
  for (const f of files) {
    const content = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
    doc.file(content, {
      name: f.name,
      type: f.type,
      description: f.description,
      relationship: f.relationship,
      creationDate: date,
      modifiedDate: date,
    } as PDFKit.Mixins.PDFAttachmentOptions);
  }
}
