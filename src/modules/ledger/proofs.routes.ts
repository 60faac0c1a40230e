import { defineRoute } from '../../http/route';
import {
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
];
