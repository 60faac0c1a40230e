import { defineRoute } from '../../http/route';
import {
  CreateLocationBody,
  LocationCodeParams,
  LocationDetailQuery,
  LocationDetailSchema,
  LocationListQuery,
  LocationListSchema,
  LocationSchema,
} from './locations.contract';
import * as locations from './locations.service';

const tags = ['Locations'];

export const locationRoutes = [
  defineRoute({
    method: 'post',
    path: '/locations',
    permission: 'write',
    tags,
    summary: 'Create a location',
    description:
      'warehouse › room › shelf › bin. The code (`LC` + 7-digit serial + Damm check digit) is allocated by the service, gap-free.',
    body: CreateLocationBody,
    response: { status: 201, description: 'The new location', schema: LocationSchema },
    errors: [
      'location_not_found',
      'invalid_location_parent',
      'duplicate_location_name',
      'invalid_location_code',
      'invalid_check_digit',
    ],
    handler: ({ app, body, user }) => app.ledger.write((tx) => locations.createLocation(tx, body, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/locations',
    permission: 'read',
    tags,
    summary: 'List locations',
    description: 'In code order, cursor-paginated; filter by kind or parent.',
    query: LocationListQuery,
    response: { status: 200, description: 'A page of locations', schema: LocationListSchema },
    errors: ['location_not_found', 'invalid_cursor'],
    handler: ({ app, query }) => locations.listLocations(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/locations/:code',
    permission: 'read',
    tags,
    summary: 'Show a location and what is there now',
    description:
      'The code in either form, any case (`LC00000013`, `lc-0000001-3`). `limit`/`cursor` page the items stored there.',
    params: LocationCodeParams,
    query: LocationDetailQuery,
    response: { status: 200, description: 'The location', schema: LocationDetailSchema },
    errors: ['location_not_found', 'invalid_location_code', 'invalid_check_digit', 'invalid_cursor'],
    handler: ({ app, params, query }) => locations.showLocation(app.db, params.code, query),
  }),
];
