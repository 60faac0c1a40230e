import type { Tx } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import type { ItemStatus } from '../items/items.enums';
import type { AuthUser } from '../users/users.service';
import { CustodyEventBody } from './custody.contract';
import { newLookups } from './custody.references';
import { recordEvent } from './custody.service';

export interface BatchEntry {
  evidenceNo: string;
  event: Record<string, unknown>;
}

export interface BatchError {
  index: number;
  evidenceNo: string;
  code: string;
  detail: string;
  [member: string]: unknown;
}

/**
 * One scan session, all or none: every entry is validated and recorded in order inside one unit
 * of work (so an item received and then moved in the same batch works); if any entry is refused,
 * the unit throws batch_invalid listing every refused entry, and the ledger rolls all of it back.
 */
export function recordBatch(tx: Tx, entries: BatchEntry[], user: Pick<AuthUser, 'id' | 'role'>) {
  const lookups = newLookups();
  const errors: BatchError[] = [];
  const done: { evidenceNo: string; seq: number; status: ItemStatus }[] = [];
  const entryOf = new Map<number, number>(); // seq → the entry that recorded it (rolled back on refusal)
  entries.forEach((entry, index) => {
    try {
      const parsed = CustodyEventBody.safeParse(entry.event);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue ? issue.path.map(String).join('.') : '';
        throw new AppError(
          'validation_failed',
          `event${path ? ` ${path}` : ''}: ${issue?.message ?? 'not valid'}`,
          {
            path,
          },
        );
      }
      const r = recordEvent(tx, entry.evidenceNo, parsed.data, user, lookups);
      done.push({ evidenceNo: r.item.evidenceNo, seq: r.seq, status: r.item.status });
      entryOf.set(r.seq, index);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const { errors: _nested, boundSeq, ...extra } = err.extra;
      let detail = err.message;
      // A bound set by an earlier entry names that entry: its seq is never written if the batch is refused.
      const boundEntry = typeof boundSeq === 'number' ? entryOf.get(boundSeq) : undefined;
      if (boundEntry !== undefined) {
        detail = detail.replace(`(seq ${boundSeq})`, `(entry #${boundEntry} of this batch)`);
        extra.boundEntry = boundEntry;
      } else if (boundSeq !== undefined) {
        extra.boundSeq = boundSeq;
      }
      errors.push({ ...extra, index, evidenceNo: entry.evidenceNo, code: err.code, detail });
    }
  });
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new AppError(
      'batch_invalid',
      `${errors.length} of ${entries.length} entries refused (first: #${first.index} ${first.evidenceNo}: ${first.code}); nothing was recorded`,
      { errors },
    );
  }
  const first = done[0]!;
  const last = done[done.length - 1]!;
  return { count: done.length, firstSeq: first.seq, lastSeq: last.seq, items: done };
}
