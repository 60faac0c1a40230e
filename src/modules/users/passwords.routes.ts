import { defineRoute } from '../../http/route';
import { AppError } from '../../lib/errors';
import { z } from '../../lib/zod';
import { endSessionsOf } from '../../web/sessions';
import {
  checkPasswordRules,
  hashPassword,
  PASSWORD_MAX,
  PASSWORD_MIN,
  passwordMatches,
  setPassword,
  storedHash,
} from './passwords';
import { UserIdParams } from './users.contract';
import { getUser } from './users.service';

const tags = ['Users'];
const Password = z.string().min(1).max(1000);

const ResetPasswordBody = z
  .strictObject({
    password: Password.openapi({ description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters` }),
  })
  .openapi('ResetPassword');

const ChangePasswordBody = z
  .strictObject({ currentPassword: Password, newPassword: Password })
  .openapi('ChangePassword');

export const passwordRoutes = [
  defineRoute({
    method: 'post',
    path: '/users/me/password',
    permission: 'read',
    tags,
    summary: 'Change one’s own password',
    description:
      'Needs the current password. The user’s other web sessions end. The ledger records `user_password_set` (never the hash).',
    body: ChangePasswordBody,
    response: { status: 204, description: 'Changed' },
    errors: ['password_too_weak', 'current_password_wrong'],
    handler: async ({ app, body, user, req, res }) => {
      const current = storedHash(app.db, user.id);
      if (!current || !(await passwordMatches(body.currentPassword, current)))
        throw new AppError('current_password_wrong', 'the current password is wrong');
      checkPasswordRules(body.newPassword);
      const hash = await hashPassword(body.newPassword);
      await app.ledger.write((tx) => {
        setPassword(tx, { userId: user.id, hash, reason: 'changed' }, user.id);
        endSessionsOf(tx.db, user.id, tx.now, req.webSession?.id);
      });
      res.status(204).end();
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users/:userId/password',
    permission: 'admin',
    tags,
    summary: 'Set or reset a user’s password',
    description:
      'For the first password or a forgotten one. Every web session of the user ends; API tokens are untouched. The ledger records `user_password_set` with the administrator as actor.',
    params: UserIdParams,
    body: ResetPasswordBody,
    response: { status: 204, description: 'Set' },
    errors: ['password_too_weak', 'user_not_found'],
    handler: async ({ app, params, body, user, res }) => {
      const target = getUser(app.db, params.userId);
      checkPasswordRules(body.password);
      const hash = await hashPassword(body.password);
      await app.ledger.write((tx) => {
        setPassword(tx, { userId: target.id, hash, reason: 'reset' }, user.id);
        endSessionsOf(tx.db, target.id, tx.now);
      });
      res.status(204).end();
    },
  }),
];
