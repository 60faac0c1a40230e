import bwipjs from 'bwip-js/node';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context';
import type { AuthUser } from '../../http/auth';
import { answeredHead, defineRoute, SENT_WHOLE } from '../../http/route';
import type { LedgerEvent } from '../../ledger/types';
import { EvidenceNoParams } from '../../lib/contract';
import { AppError } from '../../lib/errors';
import { getItem } from '../items/items.service';
import {
  BarcodeQuery,
  ItemLabelsBody,
  ItemLabelsQuery,
  LabelPreviewQuery,
  LocationLabelsQuery,
  ZplLabelsBody,
  ZplLabelsQuery,
} from './labels.contract';
import { drawPlan } from './labels.draw-pdf';
import { LABEL_FORMATS, THERMAL_FORMATS } from './labels.formats';
import { planItemLabel } from './labels.layout';
import { newLabelDoc, type StreamResult, streamItemLabelsPdf, streamLabelPages } from './labels.pdf';
import { rasterisePlan } from './labels.raster';
import { printedEvidenceNo, resolveSelection } from './labels.select';
import {
  checkCount,
  checkStart,
  formatOf,
  type ItemJob,
  prepareItemJob,
  recordItemPrintJob,
  recordLocationPrintJob,
  recordPrintCut,
  skippedHeader,
} from './labels.service';
import { streamZpl } from './labels.zpl';
import { planLocationLabel } from './locations.layout';
import { resolveLocations } from './locations.select';
import { StreamSink } from './stream-sink';

const tags = ['Labels'];

const SELECTION_ERRORS = [
  'empty_selection',
  'too_many_labels',
  'label_items_not_found',
  'label_items_disposed',
  'case_not_found',
  'seizure_not_found',
  'location_not_found',
  'invalid_evidence_number',
  'invalid_location_code',
  'invalid_check_digit',
];
const JOB_ERRORS = ['unknown_label_format', 'start_beyond_sheet', ...SELECTION_ERRORS];

const JOB_HEADERS = {
  'X-Labels-Count': 'How many labels the answer holds (items × copies)',
  'X-Labels-Job': 'The print job: the labels_printed event in the ledger names it',
  'X-Labels-Skipped': 'With skipMissing=true: the evidence numbers left out, and why (unknown, disposed)',
};

const HEAD_NOTE =
  'HEAD checks the job as GET would (the same refusals; `X-Labels-Count`) and prints and records nothing.';

const ITEMS_DESCRIPTION = `Item labels as a vector PDF, one page per label on a roll (4x6, 4x2, 2x1 in at 203 dpi;
62mm = Brother 62 × 29 mm at 300 dpi) or a grid per sheet (a4-l7163, a4-l7160, letter-5160, with
\`start=\` to use up a half-used sheet). Barcodes are drawn with module widths of whole printer dots;
print at 100 % ("actual size"). Choose the items by one of \`items=\`, \`caseId=\`, \`seizureId=\`
or \`locationCode=\` (that location and everything inside it). Unknown or disposed items refuse
the job unless \`skipMissing=true\`. The job is recorded as one \`labels_printed\` ledger event (the
requester as actor) before the document streams out.`;

/** X-Labels-Count, and X-Labels-Skipped when items were left out: a job's answer and its HEAD. */
function countHeaders(labels: number, skipped: string | null = null): Record<string, string> {
  return { 'X-Labels-Count': String(labels), ...(skipped ? { 'X-Labels-Skipped': skipped } : {}) };
}

function jobHeaders(res: Response, job: ItemJob, event: LedgerEvent): void {
  for (const [name, value] of Object.entries(countHeaders(job.labels, skippedHeader(job.resolved.skipped))))
    res.setHeader(name, value);
  res.setHeader('X-Labels-Job', event.entityId);
}

const ZPL_DESCRIPTION = `The same labels as ZPL II for a Zebra thermal printer (${THERMAL_FORMATS.join(', ')}; \`dpi=203\` or
\`300\` for the print head): one \`^XA…^XZ\` per item, \`^PQ\` for its copies, \`^CI28\` (UTF-8), field data
escaped with \`^FH\`, Code 128 (\`^BC\`) and DataMatrix (\`^BX\`) drawn by the printer. Zebra's resident
font \`^A0\` has no Cyrillic, and the common Unicode font E:TT0003M_.FNT lacks the Kazakh letters, so
text that is not plain ASCII is sent as a \`^GF\` graphic field rendered by the service with the embedded
DejaVu font; \`zplFont=\` names a font the printer holds to use for all text instead. Send the file to the
printer raw (\`lp -o raw labels.zpl\`, or port 9100). Recorded as one \`labels_printed\` event.`;

const PDF = 'application/pdf';
const ZPL = 'text/plain; charset=utf-8';

/** A job as its cut record needs it: its event, its labels, its copies, whether it prints items. */
interface SentJob {
  event: LedgerEvent;
  labels: number;
  copies: number;
  items: boolean;
}

/**
 * A job whose client went away mid-stream stops drawing, and the ledger says how far it got: a
 * `labels_print_cut` event on the job (its `labels_printed` event stays: the job was asked for and
 * acknowledged), so no print record claims labels that were never sent. The log says so too.
 */
async function endJob(app: AppContext, req: Request, user: AuthUser, job: SentJob, result: StreamResult) {
  if (result.finished) return;
  const jobId = job.event.entityId;
  req.log?.info(
    { reqId: req.id, jobId, labels: job.labels, drawn: result.drawn },
    'labels: the client went away; stopped drawing',
  );
  try {
    await app.ledger.write((tx) => recordPrintCut(tx, job, result.drawn, user.id));
  } catch (err) {
    // Nobody is waiting for an answer: the log is where a failed record can be seen.
    req.log?.error({ reqId: req.id, jobId, err }, 'labels: the cut job could not be recorded');
  }
}

async function sendItemLabelsPdf(
  { app, req, res, user }: { app: AppContext; req: Request; res: Response; user: AuthUser },
  job: ItemJob,
  event: LedgerEvent,
  outline: boolean,
) {
  res.status(200);
  res.setHeader('Content-Type', PDF);
  res.setHeader('Content-Disposition', `inline; filename="labels-${job.format.id}-${event.entityId}.pdf"`);
  jobHeaders(res, job, event);
  res.flushHeaders();
  const doc = newLabelDoc(`Evidence labels ${job.format.id} (${job.labels})`, app.clock());
  const result = await streamItemLabelsPdf(new StreamSink(res), doc, job.format, job.resolved.pages(), {
    copies: job.copies,
    start: job.start,
    outline,
  });
  await endJob(app, req, user, { event, labels: job.labels, copies: job.copies, items: true }, result);
}

async function sendItemLabelsZpl(
  { app, req, res, user }: { app: AppContext; req: Request; res: Response; user: AuthUser },
  job: ItemJob,
  opt: { dpi: number; zplFont?: string | undefined },
) {
  const event = await app.ledger.write((tx) => recordItemPrintJob(tx, job, 'zpl', user.id));
  res.status(200);
  res.setHeader('Content-Type', ZPL);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="labels-${job.format.id}-${event.entityId}.zpl"`,
  );
  jobHeaders(res, job, event);
  res.flushHeaders();
  const result = await streamZpl(
    new StreamSink(res),
    job.resolved.pages(50),
    (item) => planItemLabel(job.format, item, opt.dpi),
    { dpi: opt.dpi, copies: job.copies, font: opt.zplFont },
  );
  await endJob(app, req, user, { event, labels: job.labels, copies: job.copies, items: true }, result);
}

/** The one item a preview is for: 404 item_not_found, 409 if it is disposed of (it gets no label). */
function labelItemOf(db: Parameters<typeof getItem>[0], evidenceNo: string, now: Date) {
  const item = getItem(db, evidenceNo, now);
  const resolved = resolveSelection(db, { by: 'items', items: [item.evidenceNo] }, true);
  if (resolved.count === 0)
    throw new AppError(
      'label_items_disposed',
      `${printedEvidenceNo(item.evidenceNo)} is ${item.status.replaceAll('_', ' ')}: a disposed-of item gets no label, so there is no preview`,
      { disposed: [item.evidenceNo], unknown: [], total: 1 },
    );
  const [page] = resolved.pages();
  return page?.[0] ?? null;
}

function barcodeOptions(symbology: 'code128' | 'datamatrix' | 'qrcode', text: string) {
  return {
    bcid: symbology,
    text,
    scale: 3,
    // Quiet zones (bwip-js pads in points; a 2D module is 2 points): Code 128 10 modules, QR 4
    // (ISO/IEC 18004), DataMatrix 1 (ISO/IEC 16022).
    ...(symbology === 'code128'
      ? { height: 12, includetext: true, textxalign: 'center' as const, paddingwidth: 10, paddingheight: 2 }
      : symbology === 'qrcode'
        ? { paddingwidth: 8, paddingheight: 8 }
        : { paddingwidth: 2, paddingheight: 2 }),
    backgroundcolor: 'FFFFFF',
  };
}

const barcodeRoute = (ext: 'svg' | 'png') =>
  defineRoute({
    method: 'get',
    path: `/items/:evidenceNo/barcode.${ext}`,
    permission: 'read',
    tags,
    summary: `Get an item's barcode (${ext.toUpperCase()})`,
    description: `The compact evidence number (EV2600671238) as Code 128 (with its text), DataMatrix or QR, with quiet zones, ${
      ext === 'svg' ? 'as vector SVG' : 'as a PNG at 3 px a module'
    }: for documents and screens. Not a print job: nothing is recorded.`,
    params: EvidenceNoParams,
    query: BarcodeQuery,
    response: {
      status: 200,
      description: 'The barcode',
      contentType: ext === 'svg' ? 'image/svg+xml' : 'image/png',
      headers: SENT_WHOLE,
    },
    errors: ['item_not_found', 'invalid_check_digit', 'invalid_evidence_number'],
    handler: async ({ app, params, query, res }) => {
      const item = getItem(app.db, params.evidenceNo, app.clock());
      const opts = barcodeOptions(query.symbology, item.evidenceNo);
      res.setHeader('Cache-Control', 'private, max-age=86400');
      if (ext === 'svg') res.status(200).type('image/svg+xml').send(bwipjs.toSVG(opts));
      else
        res
          .status(200)
          .type('image/png')
          .send(await bwipjs.toBuffer(opts));
    },
  });

export const labelRoutes = [
  defineRoute({
    method: 'get',
    path: '/labels/items.pdf',
    permission: 'read',
    tags,
    summary: 'Print item labels (PDF)',
    description: `${ITEMS_DESCRIPTION} ${HEAD_NOTE}\n\nFormats: ${LABEL_FORMATS.join(', ')}.`,
    query: ItemLabelsQuery,
    response: {
      status: 200,
      description: 'The labels',
      contentType: 'application/pdf',
      headers: JOB_HEADERS,
    },
    errors: JOB_ERRORS,
    handler: async (ctx) => {
      const { app, query, user } = ctx;
      const job = prepareItemJob(app.db, query);
      const headers = countHeaders(job.labels, skippedHeader(job.resolved.skipped));
      if (answeredHead(ctx.req, ctx.res, { contentType: PDF, headers })) return;
      const event = await app.ledger.write((tx) => recordItemPrintJob(tx, job, 'pdf', user.id));
      await sendItemLabelsPdf(ctx, job, event, query.outline ?? false);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/labels/items.pdf',
    permission: 'read',
    tags,
    summary: 'Print item labels for a long list (PDF)',
    description: `The same as GET, for up to 100,000 evidence numbers in a JSON body.\n\n${ITEMS_DESCRIPTION}`,
    body: ItemLabelsBody,
    bodyLimit: '6mb',
    response: {
      status: 200,
      description: 'The labels',
      contentType: 'application/pdf',
      headers: JOB_HEADERS,
    },
    errors: [...JOB_ERRORS, 'payload_too_large'],
    handler: async (ctx) => {
      const { app, body, user } = ctx;
      const job = prepareItemJob(app.db, body);
      const event = await app.ledger.write((tx) => recordItemPrintJob(tx, job, 'pdf', user.id));
      await sendItemLabelsPdf(ctx, job, event, body.outline);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/labels/items.zpl',
    permission: 'read',
    tags,
    summary: 'Print item labels (ZPL for Zebra printers)',
    description: `${ZPL_DESCRIPTION} ${HEAD_NOTE}`,
    query: ZplLabelsQuery,
    response: { status: 200, description: 'The labels', contentType: 'text/plain', headers: JOB_HEADERS },
    errors: JOB_ERRORS,
    handler: async (ctx) => {
      const job = prepareItemJob(ctx.app.db, ctx.query, THERMAL_FORMATS);
      const headers = countHeaders(job.labels, skippedHeader(job.resolved.skipped));
      if (answeredHead(ctx.req, ctx.res, { contentType: ZPL, headers })) return;
      await sendItemLabelsZpl(ctx, job, ctx.query);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/labels/items.zpl',
    permission: 'read',
    tags,
    summary: 'Print item labels for a long list (ZPL for Zebra printers)',
    description: `The same as GET, for up to 100,000 evidence numbers in a JSON body (\`dpi\` a number: 203 or 300).\n\n${ZPL_DESCRIPTION}`,
    body: ZplLabelsBody,
    bodyLimit: '6mb',
    response: { status: 200, description: 'The labels', contentType: 'text/plain', headers: JOB_HEADERS },
    errors: [...JOB_ERRORS, 'payload_too_large'],
    handler: async (ctx) => {
      const job = prepareItemJob(ctx.app.db, ctx.body, THERMAL_FORMATS);
      await sendItemLabelsZpl(ctx, job, ctx.body);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/labels/locations.pdf',
    permission: 'read',
    tags,
    summary: 'Print location labels (PDF)',
    description: `Shelf and bin labels: the location code as Code 128 with the widest modules that fit (0.5 mm and more
on 4x2, 4x6 and a4-l7163: scans from a metre away), the printed code large, the path (warehouse › room ›
shelf › bin) above. By \`codes=\` (either form) or \`under=\` (a location and everything inside it). Same
formats, \`copies=\`, \`start=\` as item labels; recorded as one \`labels_printed\` event. ${HEAD_NOTE}`,
    query: LocationLabelsQuery,
    response: { status: 200, description: 'The labels', contentType: 'application/pdf' },
    errors: [
      'unknown_label_format',
      'start_beyond_sheet',
      'empty_selection',
      'too_many_labels',
      'location_not_found',
      'invalid_location_code',
      'invalid_check_digit',
    ],
    handler: async ({ app, req, res, query, user }) => {
      const format = formatOf(query.format);
      checkStart(format, query.start);
      const locations = resolveLocations(app.db, query);
      checkCount(locations.length * query.copies);
      if (
        answeredHead(req, res, { contentType: PDF, headers: countHeaders(locations.length * query.copies) })
      )
        return;
      const job = {
        format,
        copies: query.copies,
        start: query.start,
        locations: locations.map((l) => l.code),
      };
      const event = await app.ledger.write((tx) => recordLocationPrintJob(tx, job, user.id));
      res.status(200);
      res.setHeader('Content-Type', PDF);
      res.setHeader('Content-Disposition', `inline; filename="locations-${format.id}-${event.entityId}.pdf"`);
      res.setHeader('X-Labels-Count', String(locations.length * query.copies));
      res.setHeader('X-Labels-Job', event.entityId);
      res.flushHeaders();
      const doc = newLabelDoc(`Location labels ${format.id}`, app.clock());
      const opts = { copies: query.copies, start: query.start, outline: query.outline ?? false };
      const result = await streamLabelPages(
        new StreamSink(res),
        doc,
        format,
        [locations],
        opts,
        (d, loc, x, y) => drawPlan(d, planLocationLabel(format, loc), x, y),
      );
      const labels = job.locations.length * job.copies;
      await endJob(app, req, user, { event, labels, copies: job.copies, items: false }, result);
    },
  }),
  barcodeRoute('svg'),
  barcodeRoute('png'),
  defineRoute({
    method: 'get',
    path: '/items/:evidenceNo/label.png',
    permission: 'read',
    tags,
    summary: "Preview an item's label (PNG)",
    description: `One label as the printer would print it: the label's plan drawn dot by dot at the format's resolution
(203 dpi for the Zebra formats, 300 for 62mm and the sheets), by the service's own rasteriser (bwip-js
symbols, the embedded font). For a screen; not a print job, nothing is recorded.`,
    params: EvidenceNoParams,
    query: LabelPreviewQuery,
    response: { status: 200, description: 'The label', contentType: 'image/png', headers: SENT_WHOLE },
    errors: [
      'unknown_label_format',
      'item_not_found',
      'label_items_disposed',
      'invalid_check_digit',
      'invalid_evidence_number',
    ],
    handler: ({ app, params, query, res }) => {
      const format = formatOf(query.format);
      const item = labelItemOf(app.db, params.evidenceNo, app.clock());
      if (!item) return undefined;
      const png = rasterisePlan(planItemLabel(format, item), format.dpi).png(format.dpi);
      res.status(200).type('image/png').send(png);
      return undefined;
    },
  }),
];
