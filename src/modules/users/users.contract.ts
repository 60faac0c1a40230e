import { pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { ROLES } from './roles';

export const RoleSchema = z.enum(ROLES).openapi({ description: 'One role per user.' });

export const UsernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const CreateUserBody = z
  .strictObject({
    username: UsernameSchema,
    displayName: z.string().trim().min(1).max(200).optional(),
    role: RoleSchema,
  })
  .openapi('CreateUser');

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
  })
  .openapi('User');

export const UserListSchema = pageSchema(UserSchema, 'UserList');

export const IssuedTokenSchema = z
  .object({
    tokenId: z.string(),
    userId: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the token, to recognise it later.' }),
    token: z.string().openapi({ description: 'The secret. Shown once; only its SHA-256 is kept.' }),
  })
  .openapi('IssuedToken');

export const TokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    prefix: z.string(),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Token');

export const TokenListSchema = pageSchema(TokenSchema, 'TokenList');

export const ChangeRoleBody = z.strictObject({ role: RoleSchema }).openapi('ChangeRole');

export const UserIdParams = z.object({ userId: z.string().min(1).max(100) });
export const TokenIdParams = z.object({ tokenId: z.string().min(1).max(100) });
