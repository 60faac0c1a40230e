import { defineRoute } from '../../http/route';
import { CaseIdParams } from '../cases/cases.contract';
import {
  RecordSeizureBody,
  SeizureIdParams,
  SeizureListQuery,
  SeizureListSchema,
  SeizureSchema,
} from './seizures.contract';
import * as seizures from './seizures.service';

const tags = ['Seizures'];

export const seizureRoutes = [
  defineRoute({
    method: 'post',
    path: '/cases/:caseId/seizures',
    permission: 'write',
    tags,
    summary: 'Record a seizure',
    description: 'One raid at one site, within a case. Recorded as a `seizure_recorded` event.',
    params: CaseIdParams,
    body: RecordSeizureBody,
    response: { status: 201, description: 'The new seizure', schema: SeizureSchema },
    errors: ['case_not_found', 'occurred_in_future', 'case_closed'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => seizures.recordSeizure(tx, params.caseId, body, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/cases/:caseId/seizures',
    permission: 'read',
    tags,
    summary: 'List a case’s seizures',
    description: 'Oldest first, cursor-paginated.',
    params: CaseIdParams,
    query: SeizureListQuery,
    response: { status: 200, description: 'A page of seizures', schema: SeizureListSchema },
    errors: ['case_not_found'],
    handler: ({ app, params, query }) => seizures.listSeizures(app.db, params.caseId, query),
  }),
  defineRoute({
    method: 'get',
    path: '/seizures/:seizureId',
    permission: 'read',
    tags,
    summary: 'Show a seizure',
    params: SeizureIdParams,
    response: { status: 200, description: 'The seizure', schema: SeizureSchema },
    errors: ['seizure_not_found'],
    handler: ({ app, params }) => seizures.getSeizure(app.db, params.seizureId),
  }),
];
