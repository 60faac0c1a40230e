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
  for (const [name, path] of Object.entries(REPORT_FONTS)) doc.registerFont(name, path);
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
