import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Checkpoint } from '../../ledger/checkpoint';
import { type CheckpointRow, checkpointFromRow, type Ledger } from '../../ledger/ledger';
import { assertWithinLedger, consistencyProof, eventInclusion, verifyConsistency } from '../../ledger/proofs';
import { AppError } from '../../lib/errors';

/**
 * The checkpoint a proof is made against: the one signed at `treeSize`, or — for the head, or when
 * no size is asked — the head's (signed now if the ledger moved since the last). A proof against an
 * unsigned size would prove nothing a client could check, so other sizes are refused.
 */
export function checkpointFor(db: Db, ledger: Ledger, treeSize?: number): Checkpoint {
  const head = ledger.headSeq;
  if (treeSize === undefined || treeSize === head) return ledger.checkpoint();
  assertWithinLedger(treeSize, head);
  const row = prepared(db, 'SELECT * FROM checkpoints WHERE tree_size = ?').get(treeSize) as
    | CheckpointRow
    | undefined;
  if (row) return checkpointFromRow(row, ledger.origin);
  const near = (sql: string) => (prepared(db, sql).get(treeSize) as { s: number } | undefined)?.s ?? null;
  throw new AppError(
    'checkpoint_not_found',
    `no checkpoint was signed at tree size ${treeSize}; ask for a signed size (GET /ledger/checkpoints) or the head (${head})`,
    {
      treeSize,
      previous: near('SELECT max(tree_size) AS s FROM checkpoints WHERE tree_size < ?'),
      next: near('SELECT min(tree_size) AS s FROM checkpoints WHERE tree_size > ?'),
      head,
    },
  );
}

export function inclusionAnswer(db: Db, ledger: Ledger, seq: number, treeSize?: number) {
  const checkpoint = checkpointFor(db, ledger, treeSize);
  if (seq > checkpoint.treeSize) {
    throw new AppError(
      'seq_beyond_tree_size',
      `seq ${seq} is not in the tree of ${checkpoint.treeSize} events${treeSize === undefined ? ' (the head)' : ''}; ask for a seq from 1 to ${checkpoint.treeSize}`,
      {
        seq,
        treeSize: checkpoint.treeSize,
      },
    );
  }
  const inc = eventInclusion(db, seq, checkpoint);
  return { ...inc, checkpoint };
}

export function consistencyAnswer(db: Db, ledger: Ledger, from: number, to?: number) {
  assertWithinLedger(from, ledger.headSeq);
  const toCheckpoint = checkpointFor(db, ledger, to);
  if (from > toCheckpoint.treeSize) {
    throw new AppError('invalid_tree_sizes', `from (${from}) is beyond to (${toCheckpoint.treeSize})`, {
      from,
      to: toCheckpoint.treeSize,
    });
  }
  const fromCheckpoint = checkpointFor(db, ledger, from);
  const proof = consistencyProof(db, from, toCheckpoint.treeSize);
  const ok = verifyConsistency(
    from,
    toCheckpoint.treeSize,
    proof,
    Buffer.from(fromCheckpoint.rootHash, 'hex'),
    Buffer.from(toCheckpoint.rootHash, 'hex'),
  );
  if (!ok) throw new Error('the Merkle tiles disagree with the signed checkpoints; run custody verify');
  return {
    from,
    to: toCheckpoint.treeSize,
    proof: proof.map((h) => h.toString('hex')),
    fromCheckpoint,
    toCheckpoint,
  };
}
