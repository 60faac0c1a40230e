import { defineRoute } from '../../http/route';
import { z } from '../../lib/zod';
import { CaseIdParams } from '../cases/cases.contract';
import { planEvidenceBundle, writeEvidenceBundle } from './bundle';
import {
  BundleQuery,
  ConsistencyProofSchema,
  ConsistencyQuery,
  InclusionProofSchema,
  InclusionQuery,
} from './proofs.contract';
import { consistencyAnswer, inclusionAnswer } from './proofs.service';

const tags = ['Ledger'];

export const proofRoutes = [
  defineRoute({
    method: 'get',
    path: '/ledger/proofs/inclusion',
    permission: 'ledger',
    tags,
    summary: 'Prove an event is in a signed tree',
    description:
      'RFC 9162 inclusion proof of event `seq` in the tree of a signed checkpoint (`treeSize` = a signed size or the head; default the head), with the signed note and the same proof as a C2SP tlog-proof. docs/ledger-format.md §14.',
    query: InclusionQuery,
    response: { status: 200, description: 'The proof and its checkpoint', schema: InclusionProofSchema },
    errors: ['tree_size_beyond_ledger', 'seq_beyond_tree_size', 'checkpoint_not_found'],
    handler: ({ app, query }) => inclusionAnswer(app.db, app.ledger, query.seq, query.treeSize),
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/proofs/consistency',
    permission: 'ledger',
    tags,
    summary: 'Prove a signed tree extends an older one',
    description:
      'RFC 9162 consistency proof from the tree of size `from` to the tree of size `to` (both signed checkpoint sizes; `to` may be the head and defaults to it), with both signed notes. docs/ledger-format.md §14.',
    query: ConsistencyQuery,
    response: { status: 200, description: 'The proof and both checkpoints', schema: ConsistencyProofSchema },
    errors: ['tree_size_beyond_ledger', 'invalid_tree_sizes', 'checkpoint_not_found'],
    handler: ({ app, query }) => consistencyAnswer(app.db, app.ledger, query.from, query.to),
  }),
  defineRoute({
    method: 'get',
    path: '/cases/:caseId/evidence-bundle',
    permission: 'ledger',
    tags: ['Cases'],
    summary: 'Get a case’s evidence bundle',
    description:
      'NDJSON: a header (the signed checkpoint, the public key, the membership rule and members), then the genesis event and every event of the case, its seizures and its items, each with its inclusion proof in the checkpoint’s tree. Checkable offline with `custody verify-bundle` or scripts/verify-export.py --bundle. docs/ledger-format.md §15.',
    params: CaseIdParams,
    query: BundleQuery,
    response: {
      status: 200,
      description: 'The bundle, streamed',
      contentType: 'application/x-ndjson',
      schema: z.string(),
    },
    errors: ['case_not_found', 'tree_size_beyond_ledger', 'checkpoint_not_found'],
    handler: async ({ app, params, query, res }) => {
      const plan = planEvidenceBundle(app.db, app.ledger, params.caseId, query.treeSize);
      const name = String(plan.header.caseNumber).replace(/[^A-Za-z0-9._-]+/g, '_');
      res.status(200);
      res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="evidence-bundle-${name}-${plan.checkpoint.treeSize}.ndjson"`,
      );
      res.setHeader('X-Ledger-Tree-Size', String(plan.checkpoint.treeSize));
      res.setHeader('X-Ledger-Root-Hash', plan.checkpoint.rootHash);
      await writeEvidenceBundle(app.db, plan, res);
      res.end();
    },
  }),
];
