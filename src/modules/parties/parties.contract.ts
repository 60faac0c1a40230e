import { PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';
import { PARTY_KINDS } from './parties.enums';

export const PartyKindSchema = z.enum(PARTY_KINDS);

export const CreatePartyBody = z
  .strictObject({
    kind: PartyKindSchema,
    name: z.string().trim().min(1).max(300).openapi({ example: 'Экибастузский городской суд' }),
    contact: z.string().trim().min(1).max(500).optional().openapi({
      description: 'Person, phone, address',
      example: 'Секретарь: Қасымова Ә., +7 7187 00 00 00',
    }),
    reference: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Their own reference, licence or registration number' }),
  })
  .openapi('CreateParty');

export const PartySchema = z
  .object({
    id: z.string(),
    kind: PartyKindSchema,
    name: z.string(),
    contact: z.string().nullable(),
    reference: z.string().nullable(),
    createdSeq: z.number().int(),
  })
  .openapi('Party');

export const PartyListSchema = pageSchema(PartySchema, 'PartyList');

export const PartyListQuery = PageQuery.extend({
  kind: PartyKindSchema.optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Part of the name' }),
});

export const PartyIdParams = z.object({ partyId: z.string().min(1).max(100) });
