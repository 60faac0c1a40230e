import { answeredHead, defineRoute, SENT_WHOLE } from '../../http/route';
import { ItemReportQuery } from '../reports/reports.contract';
import { REPORT_HEAD_NOTE, serviceUrlOf } from '../reports/reports.routes';
import { requesterOf } from '../reports/reports.service';
import { certificatePayload } from './certificate.payload';
import { makeCertificate } from './certificate.service';
import { completeDisposal, resolveDiscrepancy, scanItem } from './disposal.complete';
import {
  ApproveBody,
  CancelBody,
  CompleteBody,
  DiscrepancyQuery,
  DisposalItemListSchema,
  DisposalItemParams,
  DisposalItemsQuery,
  DisposalListQuery,
  DisposalListSchema,
  DisposalParams,
  DisposalSchema,
  EligibleListSchema,
  EligibleQuery,
  ProposeDisposalBody,
  ReasonBody,
  ResolveBody,
  ScanBody,
  ScanResultSchema,
} from './disposal.contract';
import { listBatchItems, listDiscrepancies, listEligible } from './disposal.lists';
import { approveDisposal, cancelDisposal, proposeDisposal, rejectDisposal } from './disposal.propose';
import { getDisposal, listDisposals } from './disposal.service';

const tags = ['Disposals'];
const one = { status: 200, description: 'The disposal', schema: DisposalSchema };

export const disposalRoutes = [
  defineRoute({
    method: 'post',
    path: '/disposals',
    permission: 'disposal:propose',
    tags,
    summary: 'Propose a disposal',
    description:
      'A batch of items — `items` (evidence numbers) or `selection` (a case, optionally a seizure, category, ' +
      'location) — to be destroyed, sold, released to the owner or transferred to another agency, under an ' +
      'authority (court order or decision: number, date, issuing body, optionally the scanned order). Every item ' +
      'must be in storage and in no other open disposal; otherwise nothing is recorded and 409 ' +
      '`items_not_eligible` lists each offending item with its own `code`.',
    body: ProposeDisposalBody,
    response: { status: 201, description: 'The proposed disposal', schema: DisposalSchema },
    errors: ['items_not_eligible', 'document_not_found', 'case_not_found', 'seizure_not_found'],
    handler: ({ app, body, user }) => app.ledger.write((tx) => proposeDisposal(tx, body, user)),
  }),
  defineRoute({
    method: 'get',
    path: '/disposals',
    permission: 'read',
    tags,
    summary: 'List disposals',
    description: 'Oldest proposal first, cursor-paginated; `status=` filters.',
    query: DisposalListQuery,
    response: { status: 200, description: 'A page of disposals', schema: DisposalListSchema },
    errors: ['invalid_cursor'],
    handler: ({ app, query }) => listDisposals(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/disposals/eligible',
    permission: 'read',
    tags,
    summary: 'List the disposal backlog',
    description:
      'Items still on the shelves that could be disposed of: those of closed cases in no open disposal ' +
      '(`reason: case_closed`), and those whose disposal is approved but not carried out (`disposal_authorised`). ' +
      'Cursor-paginated, oldest registration first; `caseId=` narrows to one case.',
    query: EligibleQuery,
    response: { status: 200, description: 'A page of eligible items', schema: EligibleListSchema },
    errors: ['invalid_cursor', 'case_not_found'],
    handler: ({ app, query }) => listEligible(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/disposals/discrepancies',
    permission: 'read',
    tags,
    summary: 'List items missing at disposal',
    description:
      'Every `missing_at_disposal` discrepancy; `open=true` for those a supervisor has yet to resolve.',
    query: DiscrepancyQuery,
    response: { status: 200, description: 'A page of discrepancies', schema: DisposalItemListSchema },
    errors: ['invalid_cursor'],
    handler: ({ app, query }) => listDiscrepancies(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/disposals/:disposalId',
    permission: 'read',
    tags,
    summary: 'Show a disposal',
    params: DisposalParams,
    response: one,
    errors: ['disposal_not_found'],
    handler: ({ app, params }) => getDisposal(app.db, params.disposalId),
  }),
  defineRoute({
    method: 'get',
    path: '/disposals/:disposalId/items',
    permission: 'read',
    tags,
    summary: 'List the items of a disposal',
    description:
      'In proposal order, with each item’s outcome (`pending`, `scanned`, `disposed`, `missing_at_disposal`).',
    params: DisposalParams,
    query: DisposalItemsQuery,
    response: { status: 200, description: 'A page of the batch', schema: DisposalItemListSchema },
    errors: ['disposal_not_found', 'invalid_cursor'],
    handler: ({ app, params, query }) => listBatchItems(app.db, params.disposalId, query),
  }),
  defineRoute({
    method: 'post',
    path: '/disposals/:disposalId/approve',
    permission: 'supervise',
    tags,
    summary: 'Approve a disposal',
    description:
      'By a supervisor who did not propose it (403 `same_person`). Records `disposal_authorised` on every item; ' +
      'if an item no longer allows it (checked out since), nothing is recorded and 409 `items_not_eligible` lists them.',
    params: DisposalParams,
    body: ApproveBody,
    response: one,
    errors: ['disposal_not_found', 'disposal_not_pending', 'same_person', 'items_not_eligible'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => approveDisposal(tx, params.disposalId, body.note, user)),
  }),
  defineRoute({
    method: 'post',
    path: '/disposals/:disposalId/reject',
    permission: 'supervise',
    tags,
    summary: 'Reject a disposal',
    description: 'By a supervisor who did not propose it, with a reason.',
    params: DisposalParams,
    body: ReasonBody,
    response: one,
    errors: ['disposal_not_found', 'disposal_not_pending', 'same_person'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => rejectDisposal(tx, params.disposalId, body.reason, user)),
  }),
  defineRoute({
    method: 'post',
    path: '/disposals/:disposalId/cancel',
    permission: 'disposal:propose',
    tags,
    summary: 'Cancel a disposal',
    description:
      'Before approval, by the proposer (403 `not_proposer` for anyone else). After approval, by a supervisor with a ' +
      '`reason` (the order was set aside), while no item was recorded at the site (409 `disposal_in_progress`): ' +
      'every item’s `disposal_cancelled` is recorded in the same transaction and it is back in storage.',
    params: DisposalParams,
    body: CancelBody,
    response: one,
    errors: ['disposal_not_found', 'disposal_not_pending', 'not_proposer', 'disposal_in_progress'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => cancelDisposal(tx, params.disposalId, body, user)),
  }),
  defineRoute({
    method: 'post',
    path: '/disposals/:disposalId/items',
    permission: 'write',
    tags,
    summary: 'Record an item at the disposal site',
    description:
      'One scanned label (an evidence number in either form) as the item is destroyed or handed over. Refused: a ' +
      'malformed code (400 `invalid_evidence_number`, `invalid_check_digit`), an item not in this batch (409 ' +
      '`item_not_in_disposal`), a second scan of the same item (409 `duplicate_scan`), a batch not approved (409 ' +
      '`disposal_not_approved`).',
    params: DisposalParams,
    body: ScanBody,
    response: {
      status: 201,
      description: 'The item recorded, and how many remain',
      schema: ScanResultSchema,
    },
    errors: [
      'disposal_not_found',
      'disposal_not_approved',
      'invalid_evidence_number',
      'invalid_check_digit',
      'item_not_in_disposal',
      'duplicate_scan',
    ],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => scanItem(tx, params.disposalId, body, user)),
  }),
  defineRoute({
    method: 'post',
    path: '/disposals/:disposalId/complete',
    permission: 'supervise',
    tags,
    summary: 'Complete a disposal',
    description:
      'Closes an approved batch with its date (`occurredAt`), place, method, contractor, transport and at least two ' +
      'witnesses — users, or outside witnesses with name, title and agency; at least one from outside the property ' +
      'unit (an outside witness, a prosecutor or an auditor); none who held custody of an item of the batch. In one ' +
      'transaction: `disposal_completed`, each scanned item’s terminal event (`destroyed`, `sold`, `released`, ' +
      '`transferred_to_agency`), and for each item not scanned `reported_missing` with a `missing_at_disposal` ' +
      'discrepancy. Not by the proposer.',
    params: DisposalParams,
    body: CompleteBody,
    response: one,
    errors: [
      'disposal_not_found',
      'disposal_not_approved',
      'same_person',
      'too_few_witnesses',
      'duplicate_witness',
      'no_outside_witness',
      'witness_in_chain_of_custody',
      'nothing_scanned',
      'document_not_found',
      'user_not_found',
    ],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => completeDisposal(tx, params.disposalId, body, user)),
  }),
  defineRoute({
    method: 'post',
    path: '/disposals/:disposalId/discrepancies/:evidenceNo/resolve',
    permission: 'supervise',
    tags,
    summary: 'Resolve an item missing at disposal',
    description:
      '`found` (received back at `locationCode`; a later disposal takes it) or `written_off`, each with a reason.',
    params: DisposalItemParams,
    body: ResolveBody,
    response: one,
    errors: ['disposal_not_found', 'discrepancy_not_found', 'discrepancy_resolved', 'location_not_found'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => resolveDiscrepancy(tx, params.disposalId, params.evidenceNo, body, user)),
  }),
  defineRoute({
    method: 'get',
    path: '/disposals/:disposalId/certificate.pdf',
    permission: 'read',
    tags,
    summary: 'Get a disposal’s certificate',
    description:
      'The destruction certificate (or record of sale, release, transfer) of a completed disposal, made from the ' +
      'ledger alone at a signed checkpoint: the authority and its scanned order, who proposed and approved it, ' +
      'date, place, method, contractor, transport, the witnesses with signature lines, every item (evidence ' +
      'number, make, model, serial number, last valuation), totals by category and value, the anomalies (items ' +
      'missing at disposal and how they were resolved), and the closing block with checkpoint and fingerprint. A ' +
      'PDF/A-3 carrying its payload, checkpoint and key, like every report; the X-Report-Fingerprint header names ' +
      'it, and making it is recorded in the ledger.' +
      REPORT_HEAD_NOTE,
    params: DisposalParams,
    query: ItemReportQuery,
    response: {
      status: 200,
      contentType: 'application/pdf',
      description: 'The certificate',
      headers: { 'X-Report-Fingerprint': 'SHA-256 of the payload', ...SENT_WHOLE },
    },
    errors: ['disposal_not_found', 'disposal_not_completed', 'checkpoint_not_found', 'checkpoint_too_old'],
    handler: async ({ app, params, query, user, req, res }) => {
      const check = () =>
        certificatePayload(
          app.ledger,
          params.disposalId,
          requesterOf(user),
          serviceUrlOf(req),
          query.checkpoint,
        );
      if (answeredHead(req, res, { contentType: 'application/pdf', check })) return;
      const cert = await makeCertificate(app, params.disposalId, user, serviceUrlOf(req), query.checkpoint);
      res
        .status(200)
        .set({
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="${cert.payload.certificateNo}-${cert.checkpoint.treeSize}.pdf"`,
          'X-Report-Fingerprint': cert.fingerprint,
        })
        .send(cert.pdf);
    },
  }),
];
