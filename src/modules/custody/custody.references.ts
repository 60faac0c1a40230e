import type { Db } from '../../db/open';
import type { EventData } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import { checkNotAfterToday, FUTURE_SKEW_MS } from '../../lib/time';
import { getLocation } from '../locations/locations.service';
import { getParty } from '../parties/parties.service';
import { findUser } from '../users/users.service';
import { isCurrency } from './currencies';
import type { CustodyEventInput } from './custody.contract';
import type { CustodyState } from './custody.state';
import type { CustodyEventType } from './state-machine';

/** Lookups repeated across a batch (240 items moved to one shelf look the shelf up once). */
export interface Lookups {
  locations: Map<string, string>;
  parties: Set<string>;
}

export const newLookups = (): Lookups => ({ locations: new Map(), parties: new Set() });

function locationOf(db: Db, text: string, lookups: Lookups): string {
  const hit = lookups.locations.get(text);
  if (hit) return hit;
  const code = getLocation(db, text).code;
  lookups.locations.set(text, code);
  return code;
}

function partyOf(db: Db, partyId: string, lookups: Lookups): string {
  if (!lookups.parties.has(partyId)) {
    getParty(db, partyId);
    lookups.parties.add(partyId);
  }
  return partyId;
}

/** Members the service adds from the item's state, for the record; never taken from a client. */
export const DERIVED_MEMBERS: readonly string[] = [
  'fromLocationCode',
  'fromCustodian',
  'fromPartyId',
  'previousSealNo',
];

export type FactInput = Exclude<CustodyEventInput, { type: 'correction' }>;

/**
 * Checks an event's references and turns it into the data recorded: codes in compact form, user
 * names resolved to ids. `forCorrection` skips the checks that hold only at the time of the fact.
 */
export function normalize(
  db: Db,
  now: Date,
  input: FactInput,
  lookups: Lookups,
  forCorrection = false,
): EventData {
  const { type: _type, occurredAt: _occurredAt, ...data } = input;
  switch (input.type) {
    case 'received':
    case 'moved':
    case 'returned':
      return { ...data, locationCode: locationOf(db, input.locationCode, lookups) };
    case 'transferred': {
      const user = findUser(db, input.custodian);
      if (!user) {
        throw new AppError('user_not_found', `no user "${input.custodian}"`, { field: 'custodian' });
      }
      if (user.disabled && !forCorrection) {
        throw new AppError('user_disabled', `the user "${user.username}" is disabled`, {
          field: 'custodian',
        });
      }
      return { ...data, custodian: user.id };
    }
    case 'checked_out':
      partyOf(db, input.partyId, lookups);
      if (!forCorrection && Date.parse(input.dueAt) < now.getTime() - FUTURE_SKEW_MS) {
        throw new AppError('due_in_past', `dueAt ${input.dueAt} is in the past`, { field: 'dueAt' });
      }
      return data;
    case 'examined':
      if (input.partyId !== undefined) partyOf(db, input.partyId, lookups);
      return data;
    case 'valued':
      if (!forCorrection) checkNotAfterToday(input.asOf, now, input.occurredAt, 'asOf');
      if (!/^[A-Z]{3}$/.test(input.currency) || !isCurrency(input.currency)) {
        throw new AppError(
          'invalid_currency',
          `"${input.currency.slice(0, 16)}" is not an ISO 4217 currency code (three upper-case letters, e.g. USD, KZT)`,
          { field: 'currency' },
        );
      }
      return data;
    default:
      return data;
  }
}

/** The members recorded from the item's state before the event (who handed it over, from where). */
export function derivedFrom(type: CustodyEventType, state: CustodyState): EventData {
  switch (type) {
    case 'moved':
      return state.locationCode ? { fromLocationCode: state.locationCode } : {};
    case 'transferred':
      return state.custodianUserId ? { fromCustodian: state.custodianUserId } : {};
    case 'returned':
      return state.holderPartyId ? { fromPartyId: state.holderPartyId } : {};
    case 'seal_changed':
      return state.sealNo ? { previousSealNo: state.sealNo } : {};
    default:
      return {};
  }
}
