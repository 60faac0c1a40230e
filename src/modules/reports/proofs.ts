import type { Db } from '../../db/open';
import type { Checkpoint } from '../../ledger/checkpoint';
import { leafHash } from '../../ledger/merkle';
import { eventInclusion, parseTlogProof, verifyInclusion } from '../../ledger/proofs';

/**
 * seq → the C2SP tlog-proof of each event in the checkpoint's tree, from the ledger's tiles (each
 * checked against the signed root before it is handed out; its `extra` is the event's export line).
 */
export function proofsFor(db: Db, seqs: readonly number[], cp: Checkpoint): Map<number, string> {
  return new Map(seqs.map((seq) => [seq, eventInclusion(db, seq, cp).tlogProof]));
}

/** Whether an event's attached tlog-proof holds against the report's (already verified) checkpoint. */
export function checkEventProof(
  proof: string | undefined,
  e: { seq: number; hash: string },
  cp: Checkpoint,
): { ok: true } | { ok: false; reason: string } {
  if (proof === undefined) return { ok: false, reason: 'no inclusion proof' };
  let parsed: ReturnType<typeof parseTlogProof>;
  try {
    parsed = parseTlogProof(proof);
  } catch (err) {
    return { ok: false, reason: `the proof is not a tlog-proof: ${(err as Error).message}` };
  }
  if (parsed.index !== e.seq - 1) return { ok: false, reason: 'the proof is for another index' };
  if (parsed.checkpointNote !== cp.note) return { ok: false, reason: 'the proof names another checkpoint' };
  const ok = verifyInclusion(
    leafHash(e.hash),
    parsed.index,
    cp.treeSize,
    parsed.proof,
    Buffer.from(cp.rootHash, 'hex'),
  );
  return ok
    ? { ok: true }
    : { ok: false, reason: `the proof does not lead to the root of checkpoint ${cp.treeSize}` };
}
