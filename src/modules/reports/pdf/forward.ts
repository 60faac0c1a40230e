/**
 * Forward references in a streamed PDF: something a page shows that is only known once the last
 * page is drawn ("Page 3 of 2,312", the report's fingerprint in its footer).
 *
 * The page draws a form XObject (`/Fw1 Do`) whose content stream is left open; once the value is
 * known (before doc.end()), each form is painted with pdfkit's own text drawing — the same embedded
 * subset font, its glyphs added to the subset and to its ToUnicode map, so pdftotext reads "Page 3
 * of 2312" — and written out. A page refers to its form by object number only, so the page itself is
 * written (and streamed) at once: nothing but the small open form objects waits for the end.
 */

interface PageInternals {
  width: number;
  height: number;
  margins: { top: number; left: number; bottom: number; right: number };
  xobjects: Record<string, unknown>;
  fonts: Record<string, unknown>;
  write(chunk: string): void;
}

interface FormRef {
  data: { Resources: { Font: Record<string, unknown> } };
  write(chunk: string): void;
  end(): void;
}

interface DocInternals {
  page: PageInternals;
  ref(data: Record<string, unknown>): FormRef;
}

/** The forms placed on the pages of one document, painted together at its end. */
export class ForwardRefs {
  private readonly pending: { form: FormRef; paint: (doc: PDFKit.PDFDocument) => void }[] = [];
  private resolved = false;

  constructor(private readonly doc: PDFKit.PDFDocument) {}

  /**
   * Places a form covering the current page here in its content; `paint` draws into it later with
   * the document's usual calls (font, fillColor, text at page coordinates).
   */
  place(paint: (doc: PDFKit.PDFDocument) => void): void {
    if (this.resolved) throw new Error('forward reference placed after the document was resolved');
    const d = this.doc as unknown as DocInternals;
    const { width, height } = d.page;
    const form = d.ref({
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, width, height],
      Resources: { ProcSet: ['PDF', 'Text'], Font: {} },
    });
    const name = `Fw${this.pending.length + 1}`;
    d.page.xobjects[name] = form;
    this.doc.addContent(`/${name} Do`);
    this.pending.push({ form, paint });
  }

  /** Paints and writes every placed form; call once, after the last page and before doc.end(). */
  resolve(): void {
    this.resolved = true;
    const d = this.doc as unknown as DocInternals;
    const page = d.page;
    try {
      for (const { form, paint } of this.pending) {
        // pdfkit draws into `doc.page`: for a moment, the page is the form (same size, no margins).
        d.page = {
          width: page.width,
          height: page.height,
          margins: { top: 0, left: 0, bottom: 0, right: 0 },
          xobjects: {},
          fonts: form.data.Resources.Font,
          write: (chunk) => form.write(chunk),
        };
        // The form is drawn in the page's top-down space (pdfkit's, where the page placed it), so
        // pdfkit's own flip inside text() lands the text where it would on the page.
        paint(this.doc);
        form.end();
      }
    } finally {
      d.page = page;
    }
    this.pending.length = 0;
  }
}
