import { once } from 'node:events';
import type { Response } from 'express';
import { type Attachment, attachFiles } from './attachments';
import { createReportDocument, type DocumentInfo } from './document';
import { type PageSetup, ReportWriter } from './writer';

/** A report as the PDF layer makes it: document info, page furniture, content, attachments. */
export interface PdfSpec {
  info: DocumentInfo;
  page: PageSetup;
  /** Lays out the whole report. Runs twice (count, then draw); must do the same both times. */
  content: (w: ReportWriter) => Promise<void>;
  /** Files carried inside the PDF; read once, on the drawing run, after the content. */
  attachments?: () => readonly Attachment[] | Promise<readonly Attachment[]>;
}

/** Thrown by the pace function when the reader went away: the layout stops at the next page. */
export class ReaderGone extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ReaderGone';
  }
}

/** The first run: lays out without drawing and returns the page count. */
export async function countPages(spec: PdfSpec): Promise<number> {
  const w = new ReportWriter(null, spec.page).begin();
  await spec.content(w);
  return w.finish();
}

async function draw(spec: PdfSpec, total: number, sink: (chunk: Buffer) => void, pace?: () => Promise<void>) {
  const doc = createReportDocument(spec.info);
  doc.on('data', sink);
  const ended = once(doc, 'end');
  const w = new ReportWriter(doc, spec.page, total, pace).begin();
  await spec.content(w);
  const drawn = w.finish();
  if (drawn !== total)
    throw new Error(`report layout is not deterministic: counted ${total} pages, drew ${drawn}`);
  if (spec.attachments) attachFiles(doc, await spec.attachments(), spec.info.date);
  doc.end();
  await ended;
}

/** The whole PDF in memory: for small reports (an item's) and for re-rendering when verifying. */
export async function renderPdf(spec: PdfSpec): Promise<Buffer> {
  const total = await countPages(spec);
  const chunks: Buffer[] = [];
  await draw(
    spec,
    total,
    (c) => chunks.push(c),
    async () => {},
  );
  return Buffer.concat(chunks);
}

/**
 * Streams the PDF to an HTTP response: counts the pages first (nothing is buffered), sends the
 * headers, then draws page by page, waiting for `drain` when the socket is full and yielding to the
 * event loop between pages; stops when the client disconnects. `headers` may be a function of the
 * page count, run between the two runs (a streamed report learns its fingerprint in the first run).
 */
export async function streamPdf(
  res: Response,
  spec: PdfSpec,
  headers: Record<string, string> | ((pages: number) => Promise<Record<string, string>>),
): Promise<{ pages: number; completed: boolean }> {
  let gone = false;
  const onClose = () => {
    gone = true;
  };
  res.on('close', onClose);
  const total = await countPages(spec);
  if (gone) return { pages: total, completed: false };
  const head = typeof headers === 'function' ? await headers(total) : headers;
  if (gone) return { pages: total, completed: false };
  res.status(200);
  for (const [k, v] of Object.entries(head)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/pdf');
  res.flushHeaders();
  const pace = async () => {
    if (gone) throw new ReaderGone();
    if (res.writableNeedDrain) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (gone) throw new ReaderGone();
    } else await new Promise((r) => setImmediate(r));
  };
  try {
    await draw(spec, total, (c) => res.write(c), pace);
  } catch (err) {
    if (err instanceof ReaderGone) return { pages: total, completed: false };
    res.destroy(err as Error);
    throw err;
  } finally {
    res.off('close', onClose);
  }
  res.end();
  return { pages: total, completed: true };
}
