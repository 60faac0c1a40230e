import { once } from 'node:events';
import type { Response } from 'express';
import { type Attachment, attachFiles } from './attachments';
import { createReportDocument, type DocumentInfo } from './document';
import { type PageSetup, ReportWriter } from './writer';

/** A report as the PDF layer makes it: document info, page furniture, content, attachments. */
export interface PdfSpec {
  info: DocumentInfo;
  page: PageSetup;
  /** Lays out the whole report, once, page by page (the writer streams each page as it ends). */
  content: (w: ReportWriter) => Promise<void>;
  /** Files carried inside the PDF; read once, after the content. */
  attachments?: () => readonly Attachment[] | Promise<readonly Attachment[]>;
}

/** Thrown by the pace function when the reader went away: the layout stops at the next page. */
export class ReaderGone extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ReaderGone';
  }
}

/**
 * pdfkit writes a document as many small chunks (each line of each object); handing each to the
 * socket costs a write, a chunk frame and a queue entry apiece — thousands at the end of a long
 * report (its forms and cross-reference table) would pile up in memory at once. They are gathered
 * here into writes of up to 64 KB: at most that much is ever held.
 */
class Coalesced {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly out: (chunk: Buffer) => void,
    private readonly limit = 64 * 1024,
  ) {}

  push = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.limit) this.flush();
  };

  flush(): void {
    if (this.size === 0) return;
    const chunk = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.out(chunk);
  }
}

/** Draws the document in one pass, its bytes to `sink` as pdfkit writes them; returns the page count. */
async function draw(spec: PdfSpec, sink: Coalesced, pace: () => Promise<void>) {
  const doc = createReportDocument(spec.info);
  doc.on('data', sink.push);
  const ended = once(doc, 'end');
  // The file's header leaves now, with the response's headers, before any page is laid out: the
  // response sends what was written once the event loop turns (it corks the socket until then).
  await new Promise((r) => setImmediate(r));
  sink.flush();
  await new Promise((r) => setImmediate(r));
  const w = new ReportWriter(doc, spec.page, async () => {
    sink.flush();
    await pace();
  }).begin();
  await spec.content(w);
  const pages = w.finish();
  if (spec.attachments) attachFiles(doc, await spec.attachments(), spec.info.date);
  doc.end();
  await ended;
  sink.flush();
  return pages;
}

/** The whole PDF in memory: for small reports (an item's) and for re-rendering when verifying. */
export async function renderPdf(spec: PdfSpec): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await draw(spec, new Coalesced((c) => chunks.push(c)), async () => {});
  return Buffer.concat(chunks);
}

/**
 * Streams the PDF to an HTTP response in one pass: sends `headers` at once, then draws page by
 * page, each page leaving as it ends, waiting for `drain` when the socket is full and yielding to
 * the event loop between pages; stops when the client disconnects. What is only known at the end
 * (a streamed report's fingerprint, its page count) goes out as HTTP trailers: `trailers` is called
 * once the document is complete, and the names it may answer are declared up front (`Trailer:`).
 */
export async function streamPdf(
  res: Response,
  spec: PdfSpec,
  headers: Record<string, string>,
  trailers?: { names: readonly string[]; values: (pages: number) => Record<string, string> },
): Promise<{ pages: number; completed: boolean }> {
  let gone = false;
  const onClose = () => {
    gone = true;
  };
  res.on('close', onClose);
  res.status(200);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/pdf');
  // Trailers ride on chunked encoding: an HTTP/1.0 client (or a HEAD) gets none, and declaring them
  // there would make node throw. The values are also printed on every page.
  const req = res.req;
  const trailing =
    trailers !== undefined &&
    req.method !== 'HEAD' &&
    (req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1));
  if (trailing) res.setHeader('Trailer', trailers.names.join(', '));
  res.flushHeaders();
  const pace = async () => {
    if (gone) throw new ReaderGone();
    if (res.writableNeedDrain) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (gone) throw new ReaderGone();
    } else await new Promise((r) => setImmediate(r));
  };
  let pages = 0;
  try {
    pages = await draw(spec, new Coalesced((c) => res.write(c)), pace);
  } catch (err) {
    if (err instanceof ReaderGone) return { pages, completed: false };
    res.destroy(err as Error);
    throw err;
  } finally {
    res.off('close', onClose);
  }
  if (trailing) res.addTrailers(trailers.values(pages));
  res.end();
  return { pages, completed: true };
}
