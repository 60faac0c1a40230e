import { defineRoute } from '../../http/route';
import { EvidenceNoParams, PageQuery } from '../../lib/contract';
import { recordBatch } from './custody.batch';
import {
  BatchBody,
  BatchResultSchema,
  CustodyEventBody,
  HistorySchema,
  MAX_BATCH,
  RecordedEventSchema,
} from './custody.contract';
import { recordEvent } from './custody.service';
import { itemHistory } from './history.service';

const tags = ['Custody'];

const EVENT_ERRORS = [
  'invalid_evidence_number',
  'invalid_check_digit',
  'item_not_found',
  'invalid_transition',
  'occurred_in_future',
  'location_not_found',
  'invalid_location_code',
  'party_not_found',
  'user_not_found',
  'user_disabled',
  'due_in_past',
  'invalid_currency',
  'as_of_in_future',
  'correction_target_invalid',
  'occurred_before_seizure',
  'occurred_before_registration',
  'occurred_before_previous_event',
  'occurred_after_next_event',
];

export const custodyRoutes = [
  defineRoute({
    method: 'post',
    path: '/items/:evidenceNo/events',
    permission: 'write',
    tags,
    summary: 'Record a custody event',
    description:
      'One custody fact about one item, a union on `type`. The state machine (docs/state-machine.md) decides which types the item’s status allows; a refused type answers 409 `invalid_transition` with `currentStatus` and `allowedTypes`, and nothing is written. A `correction` is a supervisor’s only (403 for others).',
    params: EvidenceNoParams,
    body: CustodyEventBody,
    response: {
      status: 201,
      description: 'The recorded event and the item’s custody state',
      schema: RecordedEventSchema,
    },
    errors: [...EVENT_ERRORS, 'forbidden'],
    ifMatch: 'item',
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => recordEvent(tx, params.evidenceNo, body, user)),
  }),
  defineRoute({
    method: 'get',
    path: '/items/:evidenceNo/history',
    permission: 'read',
    tags,
    summary: 'Show an item’s custody history',
    description:
      'The item’s events in ledger order, with who recorded them, a page at a time (`limit`, `cursor`; `events` and `nextCursor`). Corrections refer to the seq they correct; each event lists the corrections of it in `correctedBy`.',
    params: EvidenceNoParams,
    query: PageQuery,
    response: { status: 200, description: 'The history', schema: HistorySchema },
    errors: ['invalid_evidence_number', 'invalid_check_digit', 'item_not_found', 'invalid_cursor'],
    handler: ({ app, params, query }) => itemHistory(app.db, params.evidenceNo, query),
  }),
  defineRoute({
    method: 'post',
    path: '/events/batch',
    permission: 'write',
    tags,
    summary: 'Record a scan session’s events',
    description: `Up to ${MAX_BATCH} entries \`{evidenceNo, event}\`, each event as for POST /items/{evidenceNo}/events, recorded in order, all or none. If any entry is refused nothing is written, and the 400 \`batch_invalid\` problem lists every refused entry in \`errors\` as {index, evidenceNo, code, detail}.`,
    body: BatchBody,
    bodyLimit: '10mb',
    response: { status: 201, description: 'Every event recorded', schema: BatchResultSchema },
    errors: ['batch_invalid'],
    handler: ({ app, body, user }) => app.ledger.write((tx) => recordBatch(tx, body.events, user)),
  }),
];
