import { queryInteger } from '../../lib/contract';
import { z } from '../../lib/zod';
import { CheckpointSchema } from './ledger.contract';

const Size = (description: string) => queryInteger({ min: 1, example: 42, description });

export const InclusionQuery = z.object({
  seq: Size('The event’s sequence number (its leaf index is seq − 1).'),
  treeSize: Size(
    'The tree to prove it in: the size of a signed checkpoint, or the current head. Default: the head (a checkpoint is signed for it if needed).',
  ).optional(),
});

export const ConsistencyQuery = z.object({
  from: Size('The older tree size: a signed checkpoint’s size.'),
  to: Size('The newer tree size: a signed checkpoint’s size, or the head. Default: the head.').optional(),
});

const Hex = z.string().openapi({ description: 'SHA-256, lowercase hex' });

export const InclusionProofSchema = z
  .object({
    seq: z.number().int(),
    index: z.number().int().openapi({ description: 'Leaf index, seq − 1.' }),
    treeSize: z.number().int(),
    eventHash: Hex,
    leafHash: Hex.openapi({ description: 'SHA-256(0x00 ‖ the 32 bytes of eventHash), hex' }),
    rootHash: Hex,
    proof: z.array(Hex).openapi({ description: 'RFC 9162 inclusion path, the leaf’s sibling first.' }),
    checkpoint: CheckpointSchema,
    tlogProof: z.string().openapi({
      description:
        'The same proof as a C2SP tlog-proof (c2sp.org/tlog-proof@v1): extra = the event’s export line, then index, path and the signed checkpoint.',
    }),
  })
  .openapi('InclusionProof');

export const ConsistencyProofSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    proof: z.array(Hex).openapi({ description: 'RFC 9162 consistency proof (empty when from = to).' }),
    fromCheckpoint: CheckpointSchema,
    toCheckpoint: CheckpointSchema,
  })
  .openapi('ConsistencyProof');

export const BundleQuery = z.object({
  treeSize: Size('The checkpoint to prove against: a signed size, or the head (the default).').optional(),
});
