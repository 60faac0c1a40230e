import type { Request } from 'express';
import { answeredHead, defineRoute, SENT_WHOLE } from '../../http/route';
import { EvidenceNoParams } from '../../lib/contract';
import { CaseIdParams } from '../cases/cases.contract';
import { caseReportScope, streamCaseReport } from './case.report';
import { describeReport } from './fingerprint';
import { itemReportPayload } from './item.payload';
import {
  CaseReportQuery,
  FingerprintParams,
  ItemReportQuery,
  ReportDescriptionSchema,
} from './reports.contract';
import { makeItemReport, requesterOf } from './reports.service';

const tags = ['Reports'];
const pdf = {
  status: 200,
  contentType: 'application/pdf',
  headers: { 'X-Report-Fingerprint': 'SHA-256 of the payload' },
};

/** The service as the requester reached it (printed in the report, and in its QR code). */
export function serviceUrlOf(req: Request): string {
  const host = req.get('host') ?? '';
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
    ? `${req.protocol}://${host}`
    : 'http://localhost';
}

/**
 * The sentence each report route's description ends with. A HEAD gives no fingerprint: every
 * report made is its own.
 */
export const REPORT_HEAD_NOTE =
  ' HEAD checks the report as GET would (the same refusals) and answers its headers; it draws and records nothing.';

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/items/:evidenceNo/custody-report.pdf',
    permission: 'read',
    tags,
    summary: 'Get an item’s chain-of-custody report',
    description:
      'A PDF/A-3b court exhibit: the item, its seizure, every event in ledger order (corrections beside what they correct), valuations and disposition, made from a signed checkpoint. It carries its payload, the checkpoint, the public key and an inclusion proof per event; `custody verify-report` checks it offline. The X-Report-Fingerprint header is the SHA-256 of the payload; making it is recorded in the ledger with the requester as actor.' +
      REPORT_HEAD_NOTE,
    params: EvidenceNoParams,
    query: ItemReportQuery,
    response: { ...pdf, headers: { ...pdf.headers, ...SENT_WHOLE }, description: 'The report' },
    errors: [
      'invalid_evidence_number',
      'invalid_check_digit',
      'item_not_found',
      'checkpoint_not_found',
      'checkpoint_too_old',
    ],
    handler: async ({ app, params, query, user, req, res }) => {
      const check = () =>
        itemReportPayload(
          app.ledger,
          params.evidenceNo,
          requesterOf(user),
          serviceUrlOf(req),
          query.checkpoint,
        );
      if (answeredHead(req, res, { contentType: 'application/pdf', check })) return;
      const report = await makeItemReport(app, params.evidenceNo, user, serviceUrlOf(req), query.checkpoint);
      res
        .status(200)
        .set({
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="custody-${report.payload.section.evidenceNo}-${report.checkpoint.treeSize}.pdf"`,
          'X-Report-Fingerprint': report.fingerprint,
        })
        .send(report.pdf);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/cases/:caseId/report.pdf',
    permission: 'read',
    tags,
    summary: 'Get a case’s custody report',
    description:
      'A PDF/A-3b report of the case: a summary first (seizures with the load they took off the grid in kW and MWh/day, items by category and status, values by currency, open check-outs), then each item’s custody history. Streamed as it is drawn, in one pass at one read snapshot (every page’s "Page i of n" and footer are filled in at the end). Filters: `seizureId`, `category`, `status`; `format=summary` for the summary only. It carries its payload, the checkpoint and the public key. The fingerprint and page count are known once the document is: X-Report-Fingerprint and X-Report-Pages are HTTP trailers (declared in `Trailer`), and the fingerprint is printed on every page.' +
      REPORT_HEAD_NOTE,
    params: CaseIdParams,
    query: CaseReportQuery,
    response: {
      ...pdf,
      headers: {
        Trailer:
          'X-Report-Fingerprint, X-Report-Pages: the SHA-256 of the payload and the page count, sent as HTTP trailers after the document',
      },
      description: 'The report, streamed',
    },
    errors: ['case_not_found', 'seizure_not_found', 'checkpoint_not_found', 'checkpoint_too_old'],
    handler: async ({ app, params, query, user, req, res }) => {
      const request = { caseId: params.caseId, ...query };
      if (
        answeredHead(req, res, { contentType: 'application/pdf', check: () => caseReportScope(app, request) })
      )
        return;
      await streamCaseReport(app, request, user, serviceUrlOf(req), res);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/reports/:fingerprint',
    permission: 'read',
    tags,
    summary: 'Tell what a report was made of',
    description:
      'By fingerprint (X-Report-Fingerprint, or the QR code on the report’s last page): its kind, parameters, checkpoint, who asked for it and when, and the payload whose SHA-256 the fingerprint is.',
    params: FingerprintParams,
    response: { status: 200, description: 'What the report was made of', schema: ReportDescriptionSchema },
    errors: ['report_not_found'],
    handler: ({ app, params }) => describeReport(app.db, params.fingerprint),
  }),
];
