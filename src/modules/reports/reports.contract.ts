import { queryInteger } from '../../lib/contract';
import { z } from '../../lib/zod';
import { ItemCategorySchema, ItemStatusSchema } from '../items/items.contract';

export const FingerprintParams = z.object({
  fingerprint: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'a fingerprint is 64 hex digits (SHA-256)')
    .transform((s) => s.toLowerCase())
    .openapi({ description: 'The report’s fingerprint (X-Report-Fingerprint)', example: 'a3f1…' }),
});

const checkpointParam = queryInteger({
  min: 1,
  example: 1000,
  description:
    'Make the report at this signed checkpoint (tree size): the same report at the same checkpoint is the same bytes. Default: the latest checkpoint that holds every event shown.',
}).optional();

export const ItemReportQuery = z.strictObject({ checkpoint: checkpointParam });

export const CaseReportQuery = z.strictObject({
  seizureId: z.string().min(1).max(100).optional().openapi({ description: 'Only the items of this seizure' }),
  category: ItemCategorySchema.optional(),
  status: ItemStatusSchema.optional(),
  format: z
    .enum(['full', 'summary'])
    .default('full')
    .openapi({ description: '`summary`: the summary pages only, without each item’s history' }),
  checkpoint: checkpointParam,
});

export const ReportDescriptionSchema = z
  .object({
    fingerprint: z.string(),
    kind: z.string().openapi({ example: 'item_custody' }),
    parameters: z.record(z.string(), z.unknown()),
    checkpoint: z.object({ treeSize: z.number().int(), rootHash: z.string() }),
    timesMade: z.number().int(),
    requests: z.array(
      z.object({
        seq: z.number().int(),
        recordedAt: z.string(),
        requestedBy: z.object({ id: z.string(), name: z.string(), role: z.string() }),
      }),
    ),
    payload: z
      .unknown()
      .openapi({ description: 'The facts the report prints (its SHA-256 is the fingerprint)' }),
  })
  .openapi('ReportDescription');
