/** A file the report carries inside itself (PDF/A-3 associated file). */
export interface Attachment {
  name: string;
  /** The bytes, or bytes already zlib-deflated (a streamed report's payload, compressed as it was made). */
  content: Buffer | string | Deflated;
  /** MIME type, e.g. application/json. */
  type: string;
  description: string;
  /** `Source`: the data the report was made from (its payload); `Supplement`: what proves it. */
  relationship: 'Source' | 'Data' | 'Supplement';
}

export interface Deflated {
  deflated: Buffer;
  size: number;
  md5: string;
}

const isDeflated = (c: Attachment['content']): c is Deflated => typeof c === 'object' && 'deflated' in c;

interface DocInternals {
  ref(data: Record<string, unknown>): { end(chunk?: Buffer): void };
  addNamedEmbeddedFile(name: string, ref: unknown): void;
  _root: { data: { AF?: unknown[] } };
}

/** doc.file() for bytes already deflated: the same objects pdfkit writes, without a second compression. */
function attachDeflated(doc: PDFKit.PDFDocument, f: Attachment, c: Deflated, date: Date): void {
  const d = doc as unknown as DocInternals;
  const file = d.ref({
    Type: 'EmbeddedFile',
    Subtype: f.type.replace('/', '#2F'),
    Filter: 'FlateDecode',
    Params: { CheckSum: new String(c.md5), Size: c.size, CreationDate: date, ModDate: date },
  });
  file.end(c.deflated);
  const spec = d.ref({
    Type: 'Filespec',
    AFRelationship: f.relationship,
    F: new String(f.name),
    UF: new String(f.name),
    EF: { F: file },
    Desc: new String(f.description),
  });
  spec.end();
  d.addNamedEmbeddedFile(f.name, spec);
  d._root.data.AF ??= [];
  d._root.data.AF.push(spec);
}

/** Attaches files with fixed dates (the checkpoint's time), so the same report is the same bytes. */
export function attachFiles(doc: PDFKit.PDFDocument, files: readonly Attachment[], date: Date): void {
  for (const f of files) {
    if (isDeflated(f.content)) {
      attachDeflated(doc, f, f.content, date);
      continue;
    }
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
