import PDFDocument from 'pdfkit';
import { FONTS } from '../../../lib/fonts';

/** The font names every report uses (registered on each document; see ReportWriter). */
export const REPORT_FONTS = {
  regular: FONTS.regular,
  bold: FONTS.bold,
  condensed: FONTS.condensed,
  condensedBold: FONTS.condensedBold,
  mono: FONTS.mono,
} as const;
export type ReportFont = keyof typeof REPORT_FONTS;

/** What pdfkit's registerFont takes: here, a font already parsed (pdfkit accepts a fontkit font). */
type ParsedFont = Parameters<PDFKit.PDFDocument['registerFont']>[1];
let parsed: Record<ReportFont, ParsedFont> | null = null;

/**
 * The report fonts, each parsed once per process and shared by every document (and the measurer):
 * parsing a TrueType font and readying its layout tables costs tens of milliseconds a font on every
 * document that opens it by file name, and far more on the first one in a process. A document still
 * makes its own subset of each font, so sharing changes no byte of the output.
 */
export function reportFonts(): Record<ReportFont, ParsedFont> {
  if (!parsed) {
    const probe = new PDFDocument({ autoFirstPage: false });
    const fonts: Partial<Record<ReportFont, ParsedFont>> = {};
    for (const [name, path] of Object.entries(REPORT_FONTS) as [ReportFont, string][]) {
      probe.registerFont(name, path);
      probe.font(name);
      fonts[name] = (probe as unknown as { _font: { font: ParsedFont } })._font.font;
    }
    parsed = fonts as Record<ReportFont, ParsedFont>;
  }
  return parsed;
}

export interface DocumentInfo {
  title: string;
  subject?: string;
  /** Who the report was made for ("Aigerim Sadykova, prosecutor"). */
  author: string;
  /**
   * The document's creation and modification date: the checkpoint's time, never "now", so the same
   * report at the same checkpoint is the same bytes (pdfkit's file /ID hashes the info dictionary).
   */
  date: Date;
  keywords?: string;
}

/**
 * A PDF/A-3b document (embedded fonts, sRGB output intent, XMP metadata; attachments allowed) with
 * fixed dates, the report fonts registered and no automatic first page (ReportWriter adds pages).
 */
export function createReportDocument(info: DocumentInfo): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: info.title,
      Author: info.author,
      Subject: info.subject ?? info.title,
      Keywords: info.keywords ?? '',
      Creator: 'Custody Ledger',
      Producer: 'Custody Ledger (pdfkit)',
      CreationDate: info.date,
      ModDate: info.date,
    },
  });
  for (const [name, font] of Object.entries(reportFonts())) doc.registerFont(name, font);
  return doc;
}

/**
 * pdfkit caches the glyph layout of every distinct word in each font forever: on a report of
 * thousands of pages (evidence numbers, serials, times are all distinct) that cache, not the
 * pages, is what grows. Dropping it now and then keeps memory flat and costs little.
 */
export function trimFontCaches(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies: Record<string, { layoutCache?: object }> })
    ._fontFamilies;
  for (const font of Object.values(families)) {
    if (font.layoutCache) font.layoutCache = Object.create(null);
  }
}
