import type { Db } from '../../db/open';
import type { Checkpoint } from '../../ledger/checkpoint';

/**
 * Inclusion proofs (C2SP tlog-proof text) of the given events in the checkpoint's tree, by seq.
 * Empty until the ledger's proof module is available.
 */
export function proofsFor(_db: Db, _seqs: readonly number[], _cp: Checkpoint): Map<number, string> {
  return new Map();
}
