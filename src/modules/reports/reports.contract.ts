import { z } from '../../lib/zod';

export const FingerprintParams = z.object({
  fingerprint: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'a fingerprint is 64 hex digits (SHA-256)')
    .transform((s) => s.toLowerCase())
    .openapi({ description: 'The report’s fingerprint (X-Report-Fingerprint)', example: 'a3f1…' }),
});

export const ItemReportQuery = z.strictObject({
  checkpoint: z.coerce.number().int().min(1).optional().openapi({
    description:
      'Make the report at this signed checkpoint (tree size): the same report at the same checkpoint is the same bytes. Default: the latest checkpoint that holds every event shown.',
  }),
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
