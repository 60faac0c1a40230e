import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import type { Actor, Tx } from '../../ledger/types';
import { afterKey, keyPage } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { PartyKind } from './parties.enums';

export interface PartyView {
  id: string;
  kind: PartyKind;
  name: string;
  contact: string | null;
  reference: string | null;
  createdSeq: number;
}

const SELECT = 'SELECT id, kind, name, contact, reference, created_seq AS createdSeq FROM parties';

export function findParty(db: Db, partyId: string): PartyView | null {
  return (prepared(db, `${SELECT} WHERE id = ?`).get(partyId) as PartyView | undefined) ?? null;
}

/** 404 party_not_found when unknown; other modules check a party through this. */
export function getParty(db: Db, partyId: string): PartyView {
  const party = findParty(db, partyId);
  if (!party) throw new AppError('party_not_found', `no party "${partyId}"`, { partyId });
  return party;
}

export interface RegisterPartyInput {
  kind: PartyKind;
  name: string;
  contact?: string | undefined;
  reference?: string | undefined;
}

export function registerParty(tx: Tx, input: RegisterPartyInput, actor: Actor): PartyView {
  const id = newId('pty');
  const data: Record<string, string> = { kind: input.kind, name: input.name };
  if (input.contact !== undefined) data.contact = input.contact;
  if (input.reference !== undefined) data.reference = input.reference;
  tx.append({ type: 'party_registered', entityType: 'party', entityId: id, actor, data });
  return getParty(tx.db, id);
}

export function listParties(
  db: Db,
  q: { limit: number; cursor?: string | undefined; kind?: PartyKind | undefined; q?: string | undefined },
) {
  const after = afterKey(q.cursor);
  const params = { after, kind: q.kind ?? null };
  const where = `${SELECT} WHERE created_seq > @after AND (@kind IS NULL OR kind = @kind) ORDER BY created_seq`;
  let rows: PartyView[];
  if (q.q === undefined) {
    rows = prepared(db, `${where} LIMIT @limit`).all({ ...params, limit: q.limit + 1 }) as PartyView[];
  } else {
    // Filtered here, not by SQL: SQLite's lower()/LIKE fold only ASCII, and names are often Cyrillic.
    // Parties number in the hundreds, so the scan is cheap.
    const needle = q.q.toLocaleLowerCase();
    rows = [];
    for (const row of db.sqlite.prepare(where).iterate(params) as IterableIterator<PartyView>) {
      if (!row.name.toLocaleLowerCase().includes(needle)) continue;
      rows.push(row);
      if (rows.length > q.limit) break;
    }
  }
  return keyPage(rows, q.limit, (p) => p.createdSeq);
}
