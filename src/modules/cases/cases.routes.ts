import { defineRoute } from '../../http/route';
import {
  CaseIdParams,
  CaseListQuery,
  CaseListSchema,
  CaseSchema,
  ChangeCaseStatusBody,
  CreateCaseBody,
} from './cases.contract';
import * as cases from './cases.service';
import { CaseDetailSchema, caseSummary } from './cases.summary';

const tags = ['Cases'];

export const caseRoutes = [
  defineRoute({
    method: 'post',
    path: '/cases',
    permission: 'write',
    tags,
    summary: 'Open a case',
    body: CreateCaseBody,
    response: { status: 201, description: 'The new case', schema: CaseSchema },
    errors: ['duplicate_case_number'],
    handler: ({ app, body, user }) => app.ledger.write((tx) => cases.openCase(tx, body, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/cases',
    permission: 'read',
    tags,
    summary: 'List cases',
    description: 'Oldest first, cursor-paginated. `number=` finds a case by its number.',
    query: CaseListQuery,
    response: { status: 200, description: 'A page of cases', schema: CaseListSchema },
    handler: ({ app, query }) => cases.listCases(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/cases/:caseId',
    permission: 'read',
    tags,
    summary: 'Show a case',
    description:
      'With `summary`: items by category and status, latest valuation per currency, rated power (kW) and the energy it represents per day (MWh), for the case and each seizure.',
    params: CaseIdParams,
    response: { status: 200, description: 'The case and its summary', schema: CaseDetailSchema },
    errors: ['case_not_found'],
    handler: ({ app, params }) => {
      const found = cases.getCase(app.db, params.caseId);
      return { ...found, summary: caseSummary(app.db, found.id) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/cases/:caseId/status',
    permission: 'supervise',
    tags,
    summary: 'Change a case’s status',
    params: CaseIdParams,
    body: ChangeCaseStatusBody,
    response: { status: 200, description: 'The case', schema: CaseSchema },
    errors: ['case_not_found', 'invalid_transition'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => cases.changeCaseStatus(tx, params.caseId, body, user.id)),
  }),
];
