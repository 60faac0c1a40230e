import { defineRoute } from '../../http/route';
import { PageQuery } from '../../lib/contract';
import {
  ChangeRoleBody,
  CreateUserBody,
  IssuedTokenSchema,
  TokenIdParams,
  TokenListSchema,
  UserIdParams,
  UserListSchema,
  UserSchema,
} from './users.contract';
import * as users from './users.service';

const tags = ['Users'];

export const userRoutes = [
  defineRoute({
    method: 'post',
    path: '/users',
    permission: 'admin',
    tags,
    summary: 'Create a user',
    body: CreateUserBody,
    response: { status: 201, description: 'The new user', schema: UserSchema },
    handler: ({ app, body, user }) => app.ledger.write((tx) => users.createUser(tx, body, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/users',
    permission: 'admin',
    tags,
    summary: 'List users',
    description: 'In the order they were created; pages follow `nextCursor`.',
    query: PageQuery,
    response: { status: 200, description: 'A page of users', schema: UserListSchema },
    errors: ['invalid_cursor'],
    handler: ({ app, query }) => users.listUsersPage(app.db, query),
  }),
  defineRoute({
    method: 'get',
    path: '/users/me',
    permission: 'read',
    tags,
    summary: 'Show who the token belongs to',
    response: { status: 200, description: 'The authenticated user', schema: UserSchema },
    handler: ({ app, user }) => users.getUser(app.db, user.id),
  }),
  defineRoute({
    method: 'get',
    path: '/users/:userId',
    permission: 'admin',
    tags,
    summary: 'Show a user',
    params: UserIdParams,
    response: { status: 200, description: 'The user', schema: UserSchema },
    handler: ({ app, params }) => users.getUser(app.db, params.userId),
  }),
  defineRoute({
    method: 'post',
    path: '/users/:userId/role',
    permission: 'admin',
    tags,
    summary: 'Change a user’s role',
    params: UserIdParams,
    body: ChangeRoleBody,
    response: { status: 200, description: 'The user', schema: UserSchema },
    errors: ['user_not_found', 'last_admin'],
    handler: ({ app, params, body, user }) =>
      app.ledger.write((tx) => users.changeRole(tx, params.userId, body.role, user.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/users/:userId/disable',
    permission: 'admin',
    tags,
    summary: 'Disable a user',
    description:
      'Every token of a disabled user is refused until the user is enabled again. The last enabled admin cannot be disabled (409 `last_admin`).',
    params: UserIdParams,
    response: { status: 200, description: 'The user', schema: UserSchema },
    errors: ['user_not_found', 'last_admin'],
    handler: ({ app, params, user }) =>
      app.ledger.write((tx) => users.setDisabled(tx, params.userId, true, user.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/users/:userId/enable',
    permission: 'admin',
    tags,
    summary: 'Enable a user',
    params: UserIdParams,
    response: { status: 200, description: 'The user', schema: UserSchema },
    handler: ({ app, params, user }) =>
      app.ledger.write((tx) => users.setDisabled(tx, params.userId, false, user.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/users/:userId/tokens',
    permission: 'admin',
    tags,
    summary: 'Issue an API token',
    description: 'The token is in the answer once; the service keeps only its SHA-256.',
    params: UserIdParams,
    response: { status: 201, description: 'The token, shown once', schema: IssuedTokenSchema },
    errors: ['user_not_found', 'user_disabled'],
    handler: ({ app, params, user }) =>
      app.ledger.write((tx) => users.issueToken(tx, params.userId, user.id)),
  }),
  defineRoute({
    method: 'get',
    path: '/users/:userId/tokens',
    permission: 'admin',
    tags,
    summary: 'List a user’s tokens',
    description: 'Oldest first; pages follow `nextCursor`.',
    params: UserIdParams,
    query: PageQuery,
    response: { status: 200, description: 'Tokens (never their secrets)', schema: TokenListSchema },
    errors: ['user_not_found', 'invalid_cursor'],
    handler: ({ app, params, query }) => users.listTokens(app.db, params.userId, query),
  }),
  defineRoute({
    method: 'post',
    path: '/tokens/:tokenId/revoke',
    permission: 'admin',
    tags,
    summary: 'Revoke an API token',
    params: TokenIdParams,
    response: { status: 204, description: 'Revoked' },
    handler: async ({ app, params, user, res }) => {
      await app.ledger.write((tx) => users.revokeToken(tx, params.tokenId, user.id));
      res.status(204).end();
    },
  }),
];
