import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { checkOccurredAt } from '../../lib/time';
import { getCase, getCaseOpenForIntake } from '../cases/cases.service';
import type { LegalGround, SiteOutcome } from './seizures.enums';

export interface SeizureView {
  id: string;
  caseId: string;
  farmName: string;
  region: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  seizedAt: string;
  seizingOfficer: string;
  warrantRef: string;
  legalGround: LegalGround;
  outcome: SiteOutcome;
  estimatedLoadKw: number | null;
  createdSeq: number;
}

const SELECT = `SELECT id, case_id AS caseId, farm_name AS farmName, region, address, latitude, longitude,
  seized_at AS seizedAt, seizing_officer AS seizingOfficer, warrant_ref AS warrantRef,
  legal_ground AS legalGround, outcome, estimated_load_kw AS estimatedLoadKw, created_seq AS createdSeq
  FROM seizures`;

export function findSeizure(db: Db, seizureId: string): SeizureView | null {
  return (prepared(db, `${SELECT} WHERE id = ?`).get(seizureId) as SeizureView | undefined) ?? null;
}

export function getSeizure(db: Db, seizureId: string): SeizureView {
  const found = findSeizure(db, seizureId);
  if (!found) throw new AppError('seizure_not_found', `no seizure with id "${seizureId}"`, { seizureId });
  return found;
}

/** The seizure, checked to belong to the case (404 seizure_not_found otherwise). */
export function getSeizureOfCase(db: Db, caseId: string, seizureId: string): SeizureView {
  const seizure = getSeizure(db, seizureId);
  if (seizure.caseId !== caseId) {
    throw new AppError('seizure_not_found', `seizure "${seizureId}" does not belong to case "${caseId}"`, {
      seizureId,
      caseId,
    });
  }
  return seizure;
}

/** Every seizure of a case, oldest first (for summaries). */
export function seizuresOfCase(db: Db, caseId: string): SeizureView[] {
  return prepared(db, `${SELECT} WHERE case_id = ? ORDER BY created_seq`).all(caseId) as SeizureView[];
}

export function listSeizures(db: Db, caseId: string, q: { limit: number; cursor?: string | undefined }) {
  getCase(db, caseId);
  const after = afterKey(q.cursor);
  const rows = prepared(
    db,
    `${SELECT} WHERE case_id = ? AND created_seq > ? ORDER BY created_seq LIMIT ?`,
  ).all(caseId, after, q.limit + 1) as SeizureView[];
  return keyPage(rows, q.limit, (s) => s.createdSeq);
}

export interface RecordSeizureInput {
  farmName: string;
  region: string;
  address: string;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
  seizedAt: string;
  seizingOfficer: string;
  warrantRef: string;
  legalGround: LegalGround;
  outcome: SiteOutcome;
  estimatedLoadKw?: number | null | undefined;
}

/** Records one raid at one site; the event's occurredAt is the time of the seizure. */
export function recordSeizure(tx: Tx, caseId: string, input: RecordSeizureInput, actor: Actor): SeizureView {
  getCaseOpenForIntake(tx.db, caseId);
  try {
    checkOccurredAt(input.seizedAt, tx.now);
  } catch (err) {
    if (err instanceof AppError) {
      throw new AppError('occurred_in_future', `seizedAt ${input.seizedAt} is in the future`, {
        field: 'seizedAt',
      });
    }
    throw err;
  }
  const id = newId('szr');
  const data: Record<string, unknown> = { caseId, ...input };
  for (const k of ['latitude', 'longitude', 'estimatedLoadKw']) if (data[k] === null) delete data[k];
  tx.append({
    type: 'seizure_recorded',
    entityType: 'seizure',
    entityId: id,
    actor,
    occurredAt: input.seizedAt,
    data,
  });
  return getSeizure(tx.db, id);
}
