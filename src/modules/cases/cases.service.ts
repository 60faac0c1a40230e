import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { checkOccurredAt } from '../../lib/time';
import type { CaseStatus } from './cases.enums';

export interface CaseView {
  id: string;
  number: string;
  title: string;
  legalBasis: string;
  agency: string;
  openedOn: string;
  status: CaseStatus;
  createdSeq: number;
  updatedSeq: number;
}

const SELECT = `SELECT id, number, title, legal_basis AS legalBasis, agency, opened_on AS openedOn, status,
  created_seq AS createdSeq, updated_seq AS updatedSeq FROM cases`;

export function findCase(db: Db, caseId: string): CaseView | null {
  return (prepared(db, `${SELECT} WHERE id = ?`).get(caseId) as CaseView | undefined) ?? null;
}

export function getCase(db: Db, caseId: string): CaseView {
  const found = findCase(db, caseId);
  if (!found) throw new AppError('case_not_found', `no case with id "${caseId}"`);
  return found;
}

/**
 * The case, open to new seizures and items: a closed case refuses them (409 case_closed). Custody
 * of the items it already holds goes on — they sit on shelves until they are disposed of.
 */
export function getCaseOpenForIntake(db: Db, caseId: string): CaseView {
  const found = getCase(db, caseId);
  if (found.status === 'closed') {
    throw new AppError('case_closed', `case ${found.number} is closed: it takes no new seizures or items`, {
      caseId,
      caseStatus: found.status,
    });
  }
  return found;
}

export function listCases(
  db: Db,
  q: {
    limit: number;
    cursor?: string | undefined;
    number?: string | undefined;
    status?: CaseStatus | undefined;
  },
) {
  const after = afterKey(q.cursor);
  const rows = prepared(
    db,
    `${SELECT} WHERE created_seq > @after AND (@number IS NULL OR number = @number)
       AND (@status IS NULL OR status = @status) ORDER BY created_seq LIMIT @limit`,
  ).all({ after, number: q.number ?? null, status: q.status ?? null, limit: q.limit + 1 }) as CaseView[];
  return keyPage(rows, q.limit, (c) => c.createdSeq);
}

export interface OpenCaseInput {
  number: string;
  title: string;
  legalBasis: string;
  agency: string;
  openedOn: string;
  occurredAt?: string | undefined;
}

export function openCase(tx: Tx, input: OpenCaseInput, actor: Actor): CaseView {
  checkOccurredAt(input.occurredAt, tx.now);
  const taken = prepared(tx.db, 'SELECT id FROM cases WHERE number = ?').get(input.number) as
    | { id: string }
    | undefined;
  if (taken) {
    throw new AppError('duplicate_case_number', `a case numbered "${input.number}" already exists`, {
      caseId: taken.id,
    });
  }
  const id = newId('case');
  const { occurredAt, ...data } = input;
  tx.append({ type: 'case_opened', entityType: 'case', entityId: id, actor, occurredAt, data });
  return getCase(tx.db, id);
}

export function changeCaseStatus(
  tx: Tx,
  caseId: string,
  input: { status: CaseStatus; reason: string; occurredAt?: string | undefined },
  actor: Actor,
): CaseView {
  checkOccurredAt(input.occurredAt, tx.now);
  const current = getCase(tx.db, caseId);
  if (current.status === input.status) {
    throw new AppError('invalid_transition', `the case is already ${input.status}`, {
      currentStatus: current.status,
    });
  }
  tx.append({
    type: 'case_status_changed',
    entityType: 'case',
    entityId: caseId,
    actor,
    occurredAt: input.occurredAt,
    data: { from: current.status, status: input.status, reason: input.reason },
  });
  return getCase(tx.db, caseId);
}
