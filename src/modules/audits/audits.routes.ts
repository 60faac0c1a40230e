import { answeredHead, defineRoute, SENT_WHOLE } from '../../http/route';
import { REPORT_HEAD_NOTE, serviceUrlOf } from '../reports/reports.routes';
import { closeAudit } from './audits.close';
import {
  AuditDetailSchema,
  AuditIdParams,
  AuditListQuery,
  AuditListSchema,
  CloseAuditBody,
  LocateListSchema,
  LocateQuery,
  MAX_SCANS,
  ResolveBody,
  ResolvedSchema,
  ResolveParams,
  ScanAnswerSchema,
  ScanBody,
  StartAuditBody,
} from './audits.contract';
import { listUnableToLocate, resolveUnableToLocate } from './audits.locate';
import { auditReportPayload, makeAuditReport } from './audits.report';
import { recordScans } from './audits.scan';
import { listAudits, showAudit, startAudit } from './audits.service';

const tags = ['Audits'];

const CODE_ERRORS = ['invalid_location_code', 'invalid_check_digit', 'invalid_evidence_number'];

export const auditRoutes = [
  defineRoute({
    method: 'post',
    path: '/audits',
    permission: 'audit',
    tags,
    summary: 'Start an audit',
    description:
      'An inventory by scanning, of everything stored at a location and inside it (`locationCode`), or of every item of a case (`caseId`).',
    body: StartAuditBody,
    response: { status: 201, description: 'The new audit, with what it expects', schema: AuditDetailSchema },
    errors: ['location_not_found', 'case_not_found', 'occurred_in_future', ...CODE_ERRORS],
    handler: ({ app, body, user }) => app.ledger.write((tx) => startAudit(tx, body, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/audits',
    permission: 'read',
    tags,
    summary: 'List audits',
    description: 'Oldest first, cursor-paginated; `status=open|closed`.',
    query: AuditListQuery,
    response: { status: 200, description: 'A page of audits', schema: AuditListSchema },
    errors: ['invalid_cursor'],
    handler: ({ app, query }) => listAudits(app.db, query),
  }),
  // Before /audits/:id, which would otherwise take "unable-to-locate" for an audit id.
  defineRoute({
    method: 'get',
    path: '/audits/unable-to-locate',
    permission: 'read',
    tags,
    summary: 'List the unable-to-locate queue',
    description:
      'Items audits could not find, oldest report first: `status=open` (default), `found`, `written_off`, `resolved` or `all`; `overdue=true` for open entries past their due time (five working days after the audit closed).',
    query: LocateQuery,
    response: { status: 200, description: 'A page of entries', schema: LocateListSchema },
    errors: ['invalid_cursor'],
    handler: ({ app, query }) => listUnableToLocate(app.db, query, app.clock()),
  }),
  defineRoute({
    method: 'post',
    path: '/audits/unable-to-locate/:evidenceNo/resolve',
    permission: 'supervise',
    tags,
    summary: 'Resolve an unable-to-locate entry',
    description:
      '`found` with `locationCode`: the item is received there (or moved there if it was received since). `written_off` with a `reason`: it stays missing, with a note in its history.',
    params: ResolveParams,
    body: ResolveBody,
    response: { status: 201, description: 'The resolution', schema: ResolvedSchema },
    errors: [
      'unable_to_locate_not_found',
      'location_not_found',
      'invalid_transition',
      'occurred_in_future',
      ...CODE_ERRORS,
    ],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => resolveUnableToLocate(tx, params.evidenceNo, body, user)),
  }),
  defineRoute({
    method: 'get',
    path: '/audits/:id',
    permission: 'read',
    tags,
    summary: 'Show an audit',
    description:
      'Its counts and discrepancies: so far while it is open (missing = not scanned at a location already scanned), as recorded once closed.',
    params: AuditIdParams,
    response: { status: 200, description: 'The audit', schema: AuditDetailSchema },
    errors: ['audit_not_found'],
    handler: ({ app, params }) => showAudit(app.db, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/audits/:id/scans',
    permission: 'audit',
    tags,
    summary: 'Record scans',
    description: `The scanner's stream: a location code first, then the items on it (evidence numbers, either form, any case). Each scan is answered with its outcome; \`{"code": …}\` for one scan or \`{"scans": [...]}\` for up to ${MAX_SCANS}, recorded as one ledger event. A code that cannot be read refuses the request with 400 \`malformed_code\` and nothing is recorded.`,
    params: AuditIdParams,
    body: ScanBody,
    response: { status: 201, description: 'The outcome of each scan', schema: ScanAnswerSchema },
    errors: [
      'audit_not_found',
      'audit_closed',
      'malformed_code',
      'location_scan_required',
      'location_outside_audit',
      'location_not_found',
      'occurred_in_future',
    ],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => recordScans(tx, params.id, body, user.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/audits/:id/close',
    permission: 'audit',
    tags,
    summary: 'Close an audit',
    description:
      'Found, missing, misplaced and unexpected, one audit_discrepancy event per discrepancy item and an audit_closed summary. Missing items are marked `reported_missing` and enter the unable-to-locate queue, due five working days later. Closing again answers 409 `audit_closed`.',
    params: AuditIdParams,
    body: CloseAuditBody,
    response: { status: 201, description: 'The closed audit', schema: AuditDetailSchema },
    errors: ['audit_not_found', 'audit_closed', 'occurred_in_future'],
    handler: ({ app, params, body, user }) => app.ledger.write((tx) => closeAudit(tx, params.id, body, user)),
  }),
  defineRoute({
    method: 'get',
    path: '/audits/:id/report.pdf',
    permission: 'read',
    tags,
    summary: 'Get an audit report',
    description:
      'A PDF/A-3b report of a closed audit: the certification ("no exceptions" or "the following exceptions"), the discrepancies first (missing, misplaced, unexpected, with what has become of each missing item), the locations not scanned, then the counts, and the reports\' closing block with the checkpoint and fingerprint. It carries its payload and the audit\'s events; the X-Report-Fingerprint header is the SHA-256 of the payload; making it is recorded in the ledger with the requester as actor.' +
      REPORT_HEAD_NOTE,
    params: AuditIdParams,
    response: {
      status: 200,
      contentType: 'application/pdf',
      headers: { 'X-Report-Fingerprint': 'SHA-256 of the payload', ...SENT_WHOLE },
      description: 'The report',
    },
    errors: ['audit_not_found', 'audit_not_closed'],
    handler: async ({ app, params, user, req, res }) => {
      if (
        answeredHead(req, res, {
          contentType: 'application/pdf',
          check: () => auditReportPayload(app, params.id, user, serviceUrlOf(req)),
        })
      )
        return;
      const report = await makeAuditReport(app, params.id, user, serviceUrlOf(req));
      res
        .status(200)
        .set({
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="audit-${report.payload.audit.id}-${report.checkpoint.treeSize}.pdf"`,
          'X-Report-Fingerprint': report.fingerprint,
        })
        .send(report.pdf);
    },
  }),
];
