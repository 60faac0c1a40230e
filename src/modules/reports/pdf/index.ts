/**
 * The shared PDF layer: every report (custody reports, the destruction certificate, the audit
 * report) is made with it, so all of them are PDF/A-3b with embedded DejaVu fonts, the same page
 * furniture, the same closing block, and byte-identical output for the same input.
 *
 * How to use it (see src/modules/reports/item.render.ts and reports.service.ts for a whole report):
 *
 *   const { canonical, fingerprint } = sealPayload(payload);             // ../fingerprint
 *   const spec: PdfSpec = {
 *     info: { title, author: 'Name (role)', date: new Date(checkpoint.signedAt) },
 *     page: { header: `Case ${number} · Destruction certificate`, subheader: title, footer: '…' },
 *     content: async (w) => {                                             // runs once, streams
 *       w.heading('Destruction certificate');
 *       w.fields([['Authority', order], ['Place', place]]);
 *       w.beginTable([{ header: 'Evidence', width: 90 }, { header: 'Description' }]);
 *       for (const row of rows) { w.row([row.printed, row.text]); await w.breathe(); }
 *       w.endTable();
 *       closingBlock(w, facts, steps);                                    // "Made on … for …", QR code
 *     },
 *     attachments: () => [{ name: 'payload.json', content: canonical, type: 'application/json',
 *                           description: '…', relationship: 'Source' }],
 *   };
 *   const pdf = await renderPdf(spec);                                    // small: in memory
 *   await streamPdf(res, spec, { 'X-Report-Fingerprint': fingerprint }); // big: streamed
 *   // …or, when the fingerprint is only known at the end: streamPdf(res, spec, {}, trailers)
 *   await recordReport(ledger, { kind, parameters, fingerprint, checkpoint, requestedBy }, canonical);
 *
 * Rules the writer keeps for you: "Page i of n" on every page (a forward reference painted at the
 * end, so the document is laid out once and never buffered); table headers repeat on each page; long
 * cell text wraps and a row never loses text; no automatic pdfkit page breaks (pages have no
 * margins). Keep `content` a pure function of its input — codes drawn as vector paths (w.code), no
 * raster image (pdfkit writes a PNG with transparency from a thread-pool callback, in whatever order
 * the pool finishes), no clock, no random — or the same report stops being the same bytes.
 */
export { type Attachment, attachFiles } from './attachments';
export { code128, drawCode, qrCode, type ReportCode } from './barcode';
export { type ClosingFacts, closingBlock, closingSentence } from './closing';
export { createReportDocument, type DocumentInfo, REPORT_FONTS, type ReportFont } from './document';
export { ForwardRefs } from './forward';
export { measurer, TextMeasurer } from './measure';
export { type PdfSpec, ReaderGone, renderPdf, streamPdf } from './stream';
export { type Column, PAGE, type PageSetup, ReportWriter, type RowStyle } from './writer';
