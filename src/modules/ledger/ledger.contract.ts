import { DAMAGE_KINDS } from '../../ledger/verify';
import { BooleanQuery, PageQuery, pageSchema } from '../../lib/contract';
import { z } from '../../lib/zod';

export const HeadSchema = z
  .object({
    ledgerId: z.string(),
    seq: z.number().int().openapi({ description: 'The last sequence number (the tree size).' }),
    headHash: z.string(),
    rootHash: z.string().openapi({ description: 'RFC 6962 Merkle root over all events, hex.' }),
  })
  .openapi('LedgerHead');

export const HealthSchema = z
  .object({ status: z.literal('ok'), version: z.string(), ledger: HeadSchema })
  .openapi('Health');

export const CheckpointSchema = z
  .object({
    origin: z.string(),
    treeSize: z.number().int(),
    rootHash: z.string(),
    headHash: z.string(),
    signedAt: z.string(),
    note: z
      .string()
      .openapi({ description: 'The C2SP signed note, exactly as signed (docs/ledger-format.md).' }),
  })
  .openapi('Checkpoint');

export const CheckpointListSchema = pageSchema(CheckpointSchema, 'CheckpointList');
export const CheckpointListQuery = PageQuery;

export const DamageSchema = z.object({
  kind: z.enum(DAMAGE_KINDS),
  seq: z.number().int().nullable(),
  detail: z.string(),
  line: z
    .number()
    .int()
    .optional()
    .openapi({ description: 'The checkpoint file’s line, for an unreadable one' }),
  between: z.object({ from: z.number().int(), to: z.number().int() }).optional().openapi({
    description: 'A rewritten chain: the last checkpoint that holds (0: none), the first that fails',
  }),
});

export const VerifyResultSchema = z
  .object({
    ok: z.boolean(),
    ledgerId: z.string().nullable(),
    events: z.number().int(),
    headHash: z.string(),
    rootHash: z.string(),
    checkpointsChecked: z.number().int(),
    projectionsChecked: z.boolean(),
    firstBad: DamageSchema.nullable(),
    damage: z.array(DamageSchema),
  })
  .openapi('VerifyResult');

export const VerifyQuery = z.object({
  full: BooleanQuery.optional()
    .transform((v) => v === true)
    .openapi({ description: 'Also re-canonicalise every event (slower).' }),
});
