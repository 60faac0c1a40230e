import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import type { Response } from 'express';
import type { AppContext } from '../../context';
import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { canonicalJson } from '../../ledger/canonical';
import type { EventRow } from '../../ledger/events-read';
import { getCase } from '../cases/cases.service';
import type { ItemCategory, ItemStatus } from '../items/items.enums';
import { listItems } from '../items/items.search';
import type { ItemView } from '../items/items.view';
import { getSeizureOfCase, seizuresOfCase } from '../seizures/seizures.service';
import type { AuthUser } from '../users/users.service';
import { type CaseFilter, type CaseSummaryFacts, caseSummaryFacts } from './case.summary';
import { Names } from './facts';
import { recordReport, reportCheckpoint } from './fingerprint';
import {
  caseFacts,
  type Field,
  historyOf,
  type ReportEvent,
  type ReportHead,
  reportHead,
} from './item.payload';
import {
  closingFacts,
  displayOrder,
  eventCells,
  HISTORY_COLUMNS,
  reportFooter,
  VERIFY_STEPS,
} from './item.render';
import { closingBlock } from './pdf/closing';
import { type PdfSpec, streamPdf } from './pdf/stream';
import type { ReportWriter } from './pdf/writer';
import { requesterOf } from './reports.service';
import { openSnapshot } from './snapshot';
import { printNumber, words } from './words';

export interface CaseReportRequest {
  caseId: string;
  seizureId?: string | undefined;
  category?: ItemCategory | undefined;
  status?: ItemStatus | undefined;
  format: 'full' | 'summary';
  checkpoint?: number | undefined;
}

/** One item in a case report: a band line saying what it is, then its history rows. */
export interface CaseItem {
  evidenceNo: string;
  line: string;
  events: ReportEvent[];
}

export interface CaseReportHead extends ReportHead {
  kind: 'case_custody';
  case: { id: string; number: string; title: string; fields: Field[] };
  summary: CaseSummaryFacts;
}

/**
 * The history table's columns, the seal's lines breaking between the tokens of seal numbers (after
 * spaces, commas and slashes). The item report keeps word wrapping: its issued files are redrawn
 * byte for byte by verify-report.
 */
const CASE_HISTORY_COLUMNS = HISTORY_COLUMNS.map((c) =>
  c.header === 'Seal' ? { ...c, wrap: 'tokens' as const } : c,
);

const PAGE_SIZE = 500;
/** Known only once the last item is drawn: sent as HTTP trailers after the document. */
export const CASE_REPORT_TRAILERS = ['X-Report-Fingerprint', 'X-Report-Pages'] as const;
const ITEMS_SENTINEL = '@@ITEMS@@';

function itemLine(v: ItemView, names: Names): string {
  const where =
    v.status === 'checked_out'
      ? `held by ${names.party(v.holder?.id)}`
      : v.location
        ? `${v.location.path} (${v.location.printed})`
        : '';
  return [
    v.printed,
    words(v.category),
    [v.make, v.model].filter(Boolean).join(' '),
    v.serialNumber ? `serial ${v.serialNumber}` : '',
    `${printNumber(v.quantity)} ${v.unit}`,
    v.sealNo ? `seal ${v.sealNo}` : 'no seal',
    `${words(v.status)}${where ? `: ${where}` : ''}`,
  ]
    .filter((p) => p !== '')
    .join(' · ');
}

/** The items of the report, page by page from the snapshot, each with its events up to the checkpoint. */
export async function* caseItems(
  db: Db,
  f: CaseFilter,
  siteNames: Map<string, string>,
  names: Names,
): AsyncGenerator<CaseItem> {
  let cursor: string | undefined;
  const eventsOf = prepared(
    db,
    `SELECT * FROM events WHERE entity_type = 'item' AND entity_id IN (SELECT value FROM json_each(?)) AND seq <= ?
     ORDER BY entity_id, seq`,
  );
  do {
    const page = listItems(db, {
      caseId: f.caseId,
      seizureId: f.seizureId,
      category: f.category,
      status: f.status,
      limit: PAGE_SIZE,
      sort: 'registered',
      cursor,
    });
    cursor = page.nextCursor ?? undefined;
    const items = page.items.filter((v) => v.registeredSeq <= f.treeSize);
    const rows = eventsOf.all(JSON.stringify(items.map((v) => v.evidenceNo)), f.treeSize) as EventRow[];
    const byItem = new Map<string, EventRow[]>();
    for (const r of rows) {
      const list = byItem.get(r.entity_id);
      if (list) list.push(r);
      else byItem.set(r.entity_id, [r]);
    }
    for (const v of items) {
      const history = historyOf(
        byItem.get(v.evidenceNo) ?? [],
        siteNames.get(v.seizureId) ?? '',
        names,
        false,
      );
      yield { events: history.events, evidenceNo: v.evidenceNo, line: itemLine(v, names) };
    }
  } while (cursor);
}

/**
 * RFC 8785 text of a case item. Its objects are built with their members in JCS order and hold only
 * strings, integers, null and arrays, for which JSON.stringify writes exactly what JCS does (a test
 * holds it to canonicalJson): canonicalising 67,000 items the general way would cost seconds.
 */
export function canonicalCaseItem(item: CaseItem): string {
  return JSON.stringify(item);
}

/** The payload as it is made: hashed and deflated chunk by chunk, never held whole. */
class PayloadSink {
  private readonly sha = createHash('sha256');
  private readonly md5 = createHash('md5');
  private readonly deflate = createDeflate({ level: 6 });
  private readonly out: Buffer[] = [];
  private size = 0;
  private first = true;

  constructor(
    private readonly suffix: string,
    prefix: string,
  ) {
    this.deflate.on('data', (c: Buffer) => this.out.push(c));
    this.push(`${prefix}[`);
  }

  private push(text: string) {
    const b = Buffer.from(text, 'utf8');
    this.sha.update(b);
    this.md5.update(b);
    this.deflate.write(b);
    this.size += b.length;
  }

  item(item: CaseItem) {
    this.push(`${this.first ? '' : ','}${canonicalCaseItem(item)}`);
    this.first = false;
  }

  /**
   * Waits while more than 1 MB is queued for the compressor (it runs on the thread pool, and falls
   * behind on a busy machine): what is queued is the payload's text, which must not pile up.
   */
  async keepUp(): Promise<void> {
    while (this.deflate.writableLength > 1 << 20) await once(this.deflate, 'drain');
  }

  async finish() {
    this.push(`]${this.suffix}`);
    this.deflate.end();
    await once(this.deflate, 'end');
    return {
      fingerprint: this.sha.digest('hex'),
      md5: this.md5.digest('hex'),
      size: this.size,
      deflated: Buffer.concat(this.out),
    };
  }
}

/** The report's filters in words ("with status destroyed, of seizure …"), or null for the whole case. */
function selectionWords(req: CaseReportRequest, seizures: readonly { id: string; farmName: string }[]) {
  const parts: string[] = [];
  if (req.status !== undefined) parts.push(`with status ${words(req.status)}`);
  if (req.category !== undefined) parts.push(`of category ${words(req.category)}`);
  if (req.seizureId !== undefined) {
    const site = seizures.find((s) => s.id === req.seizureId)?.farmName;
    parts.push(`of the seizure at ${site ?? req.seizureId} (${req.seizureId})`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}

async function drawSummary(w: ReportWriter, s: CaseSummaryFacts, selection: string | null) {
  w.heading(selection ? `Summary of the selected items only: ${selection}` : 'Summary of the whole case', 12);
  w.fields(s.totals, 160);
  const table = (
    title: string,
    columns: Parameters<ReportWriter['beginTable']>[0],
    rows: string[][],
    empty: string,
  ) => {
    w.heading(title, 10.5);
    if (rows.length === 0) {
      w.paragraph(empty, { size: 9 });
      return;
    }
    w.beginTable(columns, 7.5);
    for (const r of rows) w.row(r);
    w.endTable();
  };
  table(
    'Seizures and the load they took off the grid',
    [
      { header: 'Site' },
      { header: 'Seized at', width: 70 },
      { header: 'Outcome', width: 62 },
      { header: 'Items', width: 40 },
      { header: 'Site load kW', width: 50 },
      { header: 'Site MWh/day', width: 50 },
      { header: 'Rated kW of items', width: 56 },
    ],
    s.seizures,
    'No seizures recorded in this case.',
  );
  table(
    'Items by category',
    [{ header: 'Category' }, { header: 'Items', width: 80 }, { header: 'Rated kW', width: 80 }],
    s.categories,
    'No items.',
  );
  table('Items by status', [{ header: 'Status' }, { header: 'Items', width: 80 }], s.statuses, 'No items.');
  table(
    'Values by currency (latest valuation of each item)',
    [{ header: 'Currency', width: 70 }, { header: 'Total' }, { header: 'Items valued', width: 80 }],
    s.values,
    'No item has been valued.',
  );
  table(
    'Open check-outs',
    [
      { header: 'Evidence', width: 80 },
      { header: 'Held by', width: 130 },
      { header: 'Purpose' },
      { header: 'Due back', width: 72 },
      { header: '', width: 46 },
    ],
    s.checkouts,
    'None: every item is in the warehouse or disposed of.',
  );
}

/**
 * Streams a case's report in one pass from one read snapshot: the summary, then each item's history,
 * each page sent as it ends. The payload is hashed and deflated as the items are drawn; once the last
 * one is, the report is recorded with its fingerprint, the closing page states it, and the
 * fingerprint and page count follow the document as HTTP trailers (X-Report-Fingerprint,
 * X-Report-Pages). Every page's footer and "Page i of n" are painted at the end (forward references).
 */
/**
 * What a case report covers, checked as making it would check it (the case, the seizure filter, the
 * checkpoint): the refusals a GET would give, without drawing or recording anything (HEAD uses it).
 */
export function caseReportScope(app: AppContext, req: CaseReportRequest) {
  const kase = getCase(app.db, req.caseId);
  if (req.seizureId !== undefined) getSeizureOfCase(app.db, req.caseId, req.seizureId);
  const seizures = seizuresOfCase(app.db, req.caseId);
  const lastItemSeq =
    (
      prepared(app.db, 'SELECT max(last_seq) AS s FROM items WHERE case_id = ?').get(req.caseId) as {
        s: number | null;
      }
    ).s ?? 0;
  const covered = Math.max(kase.updatedSeq, lastItemSeq, ...seizures.map((s) => s.createdSeq));
  const cp = reportCheckpoint(app.ledger, covered, req.checkpoint);
  return { kase, seizures, cp };
}

export async function streamCaseReport(
  app: AppContext,
  req: CaseReportRequest,
  user: AuthUser,
  serviceUrl: string,
  res: Response,
): Promise<void> {
  const { kase, seizures, cp } = caseReportScope(app, req);
  const snap = openSnapshot(app.db);
  try {
    const names = new Names(snap.db, cp.treeSize);
    const filter: CaseFilter = {
      caseId: req.caseId,
      treeSize: cp.treeSize,
      seizureId: req.seizureId,
      category: req.category,
      status: req.status,
    };
    const selection = selectionWords(req, seizures);
    const caseTotal = (
      prepared(snap.db, 'SELECT count(*) AS n FROM items WHERE case_id = ? AND registered_seq <= ?').get(
        req.caseId,
        cp.treeSize,
      ) as { n: number }
    ).n;
    const { facts, itemCount } = caseSummaryFacts(snap.db, filter, seizures, names, new Date(cp.signedAt));
    const parameters: Record<string, unknown> = { caseId: req.caseId, format: req.format };
    for (const k of ['seizureId', 'category', 'status', 'checkpoint'] as const)
      if (req[k] !== undefined) parameters[k] = req[k];
    const head: CaseReportHead = {
      ...reportHead(
        app.ledger,
        cp,
        'case_custody',
        parameters,
        requesterOf(user),
        serviceUrl,
        `Case ${kase.number} · Custody report`,
        kase.title,
      ),
      kind: 'case_custody',
      case: {
        ...caseFacts(kase),
        fields: [
          ...caseFacts(kase).fields,
          [
            'Items in this report',
            `${printNumber(itemCount)}${selection ? ` of ${printNumber(caseTotal)} items of the case` : ''}${req.format === 'summary' ? ' (summary only)' : ''}`,
          ],
          ['Selection', selection ? `Only items ${selection}` : 'The whole case: every item, no filter'],
        ],
      },
      summary: facts,
    };
    const canonicalHead = canonicalJson({ ...head, items: ITEMS_SENTINEL });
    const at = canonicalHead.indexOf(`"items":"${ITEMS_SENTINEL}"`);
    const sink = new PayloadSink(
      canonicalHead.slice(at + `"items":"${ITEMS_SENTINEL}"`.length),
      `${canonicalHead.slice(0, at)}"items":`,
    );
    const siteNames = new Map(seizures.map((s) => [s.id, s.farmName]));
    let made: Awaited<ReturnType<PayloadSink['finish']>> | null = null;
    const spec: PdfSpec = {
      info: {
        title: `Custody report, case ${kase.number}`,
        subject: `Custody report of case ${kase.number} at ledger checkpoint ${cp.treeSize}`,
        author: `${head.requestedBy.name} (${head.requestedBy.role})`,
        date: new Date(cp.signedAt),
      },
      page: { header: head.header, subheader: head.subheader },
      content: async (w) => {
        w.heading(`Custody report of case ${kase.number}`, 17);
        w.paragraph(
          `Made on ${head.madeAt} for ${head.requestedBy.name} (${head.requestedBy.role}), from ledger checkpoint ${cp.treeSize}.`,
          { size: 9 },
        );
        w.heading('Case', 11);
        w.fields(head.case.fields, 130);
        await drawSummary(w, facts, selection);
        if (req.format === 'full') {
          w.heading('Items and their custody history, in order of registration', 12);
          if (itemCount === 0) w.paragraph('No items in this case match the report’s filters.', { size: 9 });
          else {
            w.beginTable(CASE_HISTORY_COLUMNS, 7);
            for await (const item of caseItems(snap.db, filter, siteNames, names)) {
              sink.item(item);
              w.band(item.line);
              for (const e of displayOrder(item.events))
                w.row(eventCells(e), e.corrects !== null ? { fill: '#fff1cc' } : {});
              await sink.keepUp();
              await w.breathe();
            }
            w.endTable();
          }
        }
        // Every fact is printed: the payload is whole, so the fingerprint is known. The report is
        // recorded before its last page, the one that states the fingerprint, is sent.
        made = await sink.finish();
        const fingerprint = made.fingerprint;
        w.footer(reportFooter(cp.treeSize, fingerprint));
        const recorded = recordReport(
          app.ledger,
          { kind: head.kind, parameters, fingerprint, checkpoint: cp, requestedBy: head.requestedBy },
          { deflated: made.deflated, size: made.size },
        );
        await recorded;
        closingBlock(
          w,
          closingFacts(head, fingerprint),
          VERIFY_STEPS.slice(0, 1)
            .map((s) => s.replace(/; proofs\/seq-N.*$/, '.'))
            .concat(VERIFY_STEPS.slice(1)),
        );
      },
      attachments: () => {
        if (!made) throw new Error('payload not made');
        return [
          {
            name: 'payload.json',
            content: { deflated: made.deflated, size: made.size, md5: made.md5 },
            type: 'application/json',
            description: `The facts this report prints, RFC 8785 canonical JSON; SHA-256 ${made.fingerprint}`,
            relationship: 'Source',
          },
          {
            name: 'checkpoint.txt',
            content: cp.note,
            type: 'text/plain',
            description: 'The signed ledger checkpoint the report was made from (C2SP signed note)',
            relationship: 'Supplement',
          },
          {
            name: 'public-key.pem',
            content: app.ledger.signer.publicKeyPem,
            type: 'application/x-pem-file',
            description: 'The Ed25519 key that signs the ledger checkpoints',
            relationship: 'Supplement',
          },
        ];
      },
    };
    await streamPdf(
      res,
      spec,
      { 'Content-Disposition': `inline; filename="case-report-${req.caseId}-${cp.treeSize}.pdf"` },
      {
        names: CASE_REPORT_TRAILERS,
        values: (pages) => ({
          'X-Report-Fingerprint': made?.fingerprint ?? '',
          'X-Report-Pages': String(pages),
        }),
      },
    );
  } finally {
    snap.close();
  }
}
