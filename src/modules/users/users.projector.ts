import { prepared } from '../../db/statements';
import type { Projector } from '../../ledger/types';
import type { Role } from './roles';

export const USER_EVENTS = [
  'user_created',
  'user_role_changed',
  'user_disabled',
  'user_enabled',
  'token_issued',
  'token_revoked',
] as const;

export const usersProjector: Projector = {
  name: 'users',
  tables: ['users', 'api_tokens'],
  types: USER_EVENTS,
  apply(db, event) {
    const d = event.data;
    switch (event.type) {
      case 'user_created':
        prepared(
          db,
          'INSERT INTO users (id, username, display_name, role, disabled, created_seq) VALUES (?, ?, ?, ?, 0, ?)',
        ).run(event.entityId, d.username as string, d.displayName as string, d.role as Role, event.seq);
        break;
      case 'user_role_changed':
        prepared(db, 'UPDATE users SET role = ? WHERE id = ?').run(d.role as Role, event.entityId);
        break;
      case 'user_disabled':
      case 'user_enabled':
        prepared(db, 'UPDATE users SET disabled = ? WHERE id = ?').run(
          event.type === 'user_disabled' ? 1 : 0,
          event.entityId,
        );
        break;
      case 'token_issued':
        prepared(db, 'INSERT INTO api_tokens (id, user_id, prefix, issued_at) VALUES (?, ?, ?, ?)').run(
          d.tokenId as string,
          event.entityId,
          d.prefix as string,
          event.recordedAt,
        );
        break;
      case 'token_revoked':
        prepared(db, 'UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(
          event.recordedAt,
          d.tokenId as string,
        );
        break;
    }
  },
};
