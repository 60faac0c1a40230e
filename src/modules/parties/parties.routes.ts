import { defineRoute } from '../../http/route';
import {
  CreatePartyBody,
  PartyIdParams,
  PartyListQuery,
  PartyListSchema,
  PartySchema,
} from './parties.contract';
import * as parties from './parties.service';

const tags = ['Parties'];

export const partyRoutes = [
  defineRoute({
    method: 'post',
    path: '/parties',
    permission: 'write',
    tags,
    summary: 'Register a party',
    description:
      'Someone outside the users who can hold an item: a court, a forensic lab, an expert, the owner, another agency.',
    body: CreatePartyBody,
    response: { status: 201, description: 'The new party', schema: PartySchema },
    handler: ({ app, body, user }) => app.ledger.write((tx) => parties.registerParty(tx, body, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/parties',
    permission: 'read',
    tags,
    summary: 'List parties',
    description: 'Oldest first, cursor-paginated; filter by kind or part of the name.',
    query: PartyListQuery,
    response: { status: 200, description: 'A page of parties', schema: PartyListSchema },
    errors: ['invalid_cursor'],
    handler: ({ app, query }) => parties.listParties(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/parties/:partyId',
    permission: 'read',
    tags,
    summary: 'Show a party',
    params: PartyIdParams,
    response: { status: 200, description: 'The party', schema: PartySchema },
    errors: ['party_not_found'],
    handler: ({ app, params }) => parties.getParty(app.db, params.partyId),
  }),
];
