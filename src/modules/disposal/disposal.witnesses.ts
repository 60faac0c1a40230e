import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { AppError } from '../../lib/errors';
import type { z } from '../../lib/zod';
import { ledgerType } from '../custody/state-machine';
import { findUser } from '../users/users.service';
import type { WitnessInput } from './disposal.contract';
import { PROPERTY_UNIT_ROLES } from './disposal.enums';

/** A witness as recorded: a user (by id, with the name and role they had) or someone from outside. */
export type Witness =
  | { kind: 'user'; userId: string; name: string; role: string }
  | { kind: 'outside'; name: string; title: string; agency: string };

/** The item events whose actor handled the item (or became its custodian): its chain of custody. */
const HANDLING = ['received', 'moved', 'transferred', 'checked_out', 'returned', 'seal_changed'] as const;

const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** The users who ever held or handled any of these items, with one such item each. */
function custodyHolders(db: Db, evidenceNos: readonly string[]): Map<string, string> {
  const types = HANDLING.map(ledgerType);
  const stmt = prepared(
    db,
    `SELECT actor, type, data FROM events WHERE entity_type = 'item' AND entity_id = ?
     AND type IN (${types.map(() => '?').join(', ')})`,
  );
  const holders = new Map<string, string>();
  for (const ev of evidenceNos) {
    for (const row of stmt.all(ev, ...types) as { actor: string; type: string; data: string }[]) {
      if (!holders.has(row.actor)) holders.set(row.actor, ev);
      if (row.type === 'item_transferred') {
        const to = (JSON.parse(row.data) as { custodian?: string }).custodian;
        if (to && !holders.has(to)) holders.set(to, ev);
      }
    }
  }
  return holders;
}

/**
 * The witness rules of a disposal (IAPE; AR 195-5): at least two, each once, at least one from
 * outside the property unit (an outside witness, or a user whose role is not a property role), and
 * none who held custody of an item of the batch — they must attest to what they did not handle.
 */
export function checkWitnesses(
  db: Db,
  input: z.infer<typeof WitnessInput>[],
  evidenceNos: readonly string[],
): Witness[] {
  const witnesses: Witness[] = input.map((w, index) => {
    if ('user' in w) {
      const user = findUser(db, w.user);
      if (!user)
        throw new AppError('user_not_found', `no user "${w.user}"`, { field: `witnesses.${index}.user` });
      if (user.disabled) {
        throw new AppError('user_disabled', `the user "${user.username}" is disabled`, {
          field: `witnesses.${index}.user`,
        });
      }
      return { kind: 'user', userId: user.id, name: user.displayName, role: user.role };
    }
    return { kind: 'outside', name: w.name, title: w.title, agency: w.agency };
  });
  if (witnesses.length < 2) {
    throw new AppError(
      'too_few_witnesses',
      `a disposal needs at least two witnesses; ${witnesses.length} given`,
      {
        count: witnesses.length,
      },
    );
  }
  const seen = new Map<string, number>();
  witnesses.forEach((w, index) => {
    const key = w.kind === 'user' ? `u:${w.userId}` : `o:${fold(w.name)}\u0001${fold(w.agency)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new AppError(
        'duplicate_witness',
        `witnesses ${first} and ${index} are the same person (${w.name})`,
        {
          indexes: [first, index],
        },
      );
    }
    seen.set(key, index);
  });
  const outside = (w: Witness) =>
    w.kind === 'outside' || !(PROPERTY_UNIT_ROLES as readonly string[]).includes(w.role);
  if (!witnesses.some(outside)) {
    throw new AppError(
      'no_outside_witness',
      'at least one witness must come from outside the property unit (an outside witness, or a prosecutor or auditor)',
    );
  }
  const holders = custodyHolders(db, evidenceNos);
  const inChain = witnesses.flatMap((w, index) =>
    w.kind === 'user' && holders.has(w.userId)
      ? [{ index, userId: w.userId, name: w.name, evidenceNo: holders.get(w.userId) as string }]
      : [],
  );
  if (inChain.length > 0) {
    const first = inChain[0]!;
    throw new AppError(
      'witness_in_chain_of_custody',
      `${first.name} held custody of ${first.evidenceNo}, an item of this batch: a witness must not be in the chain of custody`,
      { witnesses: inChain },
    );
  }
  return witnesses;
}
