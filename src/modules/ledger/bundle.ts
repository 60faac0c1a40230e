import { once } from 'node:events';
import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Checkpoint } from '../../ledger/checkpoint';
import { type EventRow, exportLineOf } from '../../ledger/events-read';
import type { Ledger } from '../../ledger/ledger';
import { leafHash, proverAt, verifyInclusion } from '../../ledger/proofs';
import { getCase } from '../cases/cases.service';
import { checkpointFor } from './proofs.service';

export const BUNDLE_FORMAT = 'custody-ledger/evidence-bundle@v1';

/** What a case's bundle holds (docs/ledger-format.md §15.1); the rule is restated in the header. */
export const MEMBERSHIP_RULE =
  'seq 1 (ledger_created), then every event up to treeSize whose entity is the case (entityType "case", entityId = caseId), one of its seizures (entityType "seizure") or one of its items (entityType "item", entityId = the compact evidence number); members lists those entities';

export interface BundleMembers {
  case: string[];
  seizure: string[];
  item: string[];
}

/**
 * The seqs of a case's events up to `treeSize`, with the entities they concern. Seizures and items
 * of the case come from their projections (which name the case); the events from the ledger's
 * (entityType, entityId, seq) index.
 */
export function caseEvents(
  db: Db,
  caseId: string,
  treeSize: number,
): { seqs: number[]; members: BundleMembers } {
  const rows = prepared(
    db,
    `SELECT entity_type AS t, entity_id AS id, seq FROM events
      WHERE entity_type = 'case' AND entity_id = @caseId AND seq <= @treeSize
     UNION ALL
     SELECT entity_type, entity_id, seq FROM events
      WHERE entity_type = 'seizure' AND entity_id IN (SELECT id FROM seizures WHERE case_id = @caseId) AND seq <= @treeSize
     UNION ALL
     SELECT entity_type, entity_id, seq FROM events
      WHERE entity_type = 'item' AND entity_id IN (SELECT evidence_no FROM items WHERE case_id = @caseId) AND seq <= @treeSize`,
  ).all({ caseId, treeSize }) as { t: keyof BundleMembers; id: string; seq: number }[];
  const sets = { case: new Set<string>(), seizure: new Set<string>(), item: new Set<string>() };
  const seqs = [1];
  for (const r of rows) {
    sets[r.t].add(r.id);
    seqs.push(r.seq);
  }
  seqs.sort((a, b) => a - b);
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    seqs,
    members: { case: sorted(sets.case), seizure: sorted(sets.seizure), item: sorted(sets.item) },
  };
}

export interface BundlePlan {
  checkpoint: Checkpoint;
  header: Record<string, unknown>;
  seqs: number[];
}

/** Everything the bundle will say, decided up front (so a refusal comes before the first byte). */
export function planEvidenceBundle(db: Db, ledger: Ledger, caseId: string, treeSize?: number): BundlePlan {
  const theCase = getCase(db, caseId);
  const checkpoint = checkpointFor(db, ledger, treeSize);
  const { seqs, members } = caseEvents(db, caseId, checkpoint.treeSize);
  const header = {
    bundle: BUNDLE_FORMAT,
    ledgerId: ledger.ledgerId,
    caseId,
    caseNumber: theCase.number,
    caseTitle: theCase.title,
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash,
    checkpoint: checkpoint.note,
    publicKey: ledger.signer.publicKeyPem,
    keyId: ledger.keyId,
    membership: MEMBERSHIP_RULE,
    members,
    events: seqs.length,
  };
  return { checkpoint, header, seqs };
}

const PAGE = 500;

/**
 * The bundle as NDJSON text, in chunks: the header line, then one line per event in seq order,
 * `{"event":<its export line>,"proof":[hex…]}`, a page of events per chunk. Every proof is checked
 * against the signed root before it is written. Events up to a signed tree size never change, so
 * appends made while it streams do not disturb it.
 */
export function* bundleChunks(db: Db, plan: BundlePlan): Generator<string> {
  const { checkpoint, seqs } = plan;
  const prover = proverAt(db, checkpoint.treeSize);
  const root = Buffer.from(checkpoint.rootHash, 'hex');
  const rowsOf = prepared(
    db,
    'SELECT e.* FROM json_each(?) j JOIN events e ON e.seq = j.value ORDER BY e.seq',
  );
  yield `${JSON.stringify(plan.header)}\n`;
  for (let at = 0; at < seqs.length; at += PAGE) {
    const rows = rowsOf.all(JSON.stringify(seqs.slice(at, at + PAGE))) as EventRow[];
    let chunk = '';
    for (const row of rows) {
      const proof = prover.inclusion(row.seq - 1);
      if (!verifyInclusion(leafHash(row.hash), row.seq - 1, checkpoint.treeSize, proof, root)) {
        throw new Error(
          `the Merkle tiles disagree with the checkpoint at ${checkpoint.treeSize}; run custody verify`,
        );
      }
      chunk += `{"event":${exportLineOf(row)},"proof":${JSON.stringify(proof.map((h) => h.toString('hex')))}}\n`;
    }
    yield chunk;
  }
}

/** Streams the bundle to `out`, yielding between pages and waiting for `drain` (flat memory). */
export async function writeEvidenceBundle(
  db: Db,
  plan: BundlePlan,
  out: NodeJS.WritableStream,
): Promise<void> {
  for (const chunk of bundleChunks(db, plan)) {
    if (!out.write(chunk)) await once(out, 'drain');
    else await new Promise((r) => setImmediate(r));
  }
}
