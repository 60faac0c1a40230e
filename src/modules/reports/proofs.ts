import type { Db } from '../../db/open';
import type { Checkpoint } from '../../ledger/checkpoint';

/**
 * Inclusion proofs (C2SP tlog-proof text) of the given events in the checkpoint's tree, by seq.
 * Empty until the ledger's proof module is available.
 */
export function proofsFor(_db: Db, _seqs: readonly number[], _cp: Checkpoint): Map<number, string> {
  return new Map();
}

/** Whether an event's proof holds: placeholder until the ledger's proof module is available. */
export function checkEventProof(
  _proof: string | undefined,
  _e: { seq: number; hash: string },
  _raw: Buffer,
  _treeSize: number,
): { ok: true } | { ok: false; reason: string } {
  return { ok: true };
}
