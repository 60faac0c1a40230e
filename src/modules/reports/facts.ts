import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { AppError } from '../../lib/errors';
import { getLocation } from '../locations/locations.service';
import { findParty } from '../parties/parties.service';
import { findUser } from '../users/users.service';
import { printLocationCode, printMoney, printTime, printValue, words } from './words';

/** How a report names the ids events carry. */
export interface NameSource {
  /** "Warehouse › Room 1 › Shelf A (LC-0000012-3)". */
  location(code: string | null | undefined): string;
  /** "Aigerim Sadykova (clerk)"; `system` for what the service did by itself. */
  user(id: string | null | undefined): string;
  /** "Екібастұз қалалық соты, court". */
  party(id: string | null | undefined): string;
}

/**
 * Names for the ids events carry: locations by path, users by name and role, parties by name — as
 * of the report's checkpoint (`asOf`, a tree size), so that the same report at the same checkpoint
 * prints the same names whatever happened since. Of what a name is made, only a user's role can
 * change (user_role_changed); it is read from the ledger up to the checkpoint. Display names,
 * location paths and party names are fixed when recorded: no event renames them.
 */
export class Names implements NameSource {
  private readonly cache = new Map<string, string>();
  constructor(
    private readonly db: Db,
    private readonly asOf?: number,
  ) {}

  private memo(key: string, make: () => string): string {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }

  /** A user's role as of the checkpoint: from the last user_created / user_role_changed up to it. */
  private roleOf(id: string, current: string): string {
    if (this.asOf === undefined) return current;
    const row = prepared(
      this.db,
      `SELECT json_extract(data, '$.role') AS role FROM events
        WHERE entity_type = 'user' AND entity_id = ? AND type IN ('user_created', 'user_role_changed') AND seq <= ?
        ORDER BY seq DESC LIMIT 1`,
    ).get(id, this.asOf) as { role: string | null } | undefined;
    return row?.role ?? current;
  }

  location(code: string | null | undefined): string {
    if (!code) return '—';
    return this.memo(`l:${code}`, () => {
      try {
        const l = getLocation(this.db, code);
        return `${l.path} (${l.printed})`;
      } catch (err) {
        if (err instanceof AppError) return printLocationCode(code);
        throw err;
      }
    });
  }

  /** "Aigerim Sadykova (clerk)"; `system` for what the service did by itself. */
  user(id: string | null | undefined): string {
    if (!id) return '—';
    if (id === 'system') return 'the service (system)';
    return this.memo(`u:${id}`, () => {
      const u = findUser(this.db, id);
      return u ? `${u.displayName} (${this.roleOf(u.id, u.role)})` : id;
    });
  }

  party(id: string | null | undefined): string {
    if (!id) return '—';
    return this.memo(`p:${id}`, () => {
      const p = findParty(this.db, id);
      return p ? `${p.name}, ${words(p.kind)}` : id;
    });
  }
}

/** One event of an item as the report prints it: the cells of its row. */
export interface EventCells {
  what: string;
  fromTo: string;
  details: string;
  seal: string;
}

/** What the item was like just before an event (from the events before it, in ledger order). */
export interface Running {
  location: string | null;
  custodian: string | null;
  holder: string | null;
  sealNo: string | null;
  siteName: string;
  /** The authority of the item's open disposal ("court order 2-1187/2026 of 2026-11-20 (…)"). */
  authority?: string;
}

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const join = (...parts: string[]) => parts.filter((p) => p !== '').join('; ');
const sealText = (no: string | null) => (no ? `seal ${no}` : 'no seal');

/** A corrected member and its value, in words (codes and ids resolved). */
function correctedField(key: string, value: unknown, names: NameSource): string {
  const v =
    key === 'locationCode'
      ? names.location(str(value))
      : key === 'custodian'
        ? names.user(str(value))
        : key === 'partyId'
          ? names.party(str(value))
          : key === 'occurredAt' || key === 'dueAt'
            ? printTime(str(value))
            : printValue(value);
  return `${key} should read “${v}”`;
}

/**
 * The row of one event, and the running state after it. `type` is the ledger type (`item_moved`);
 * `actor` the user who recorded it.
 */
export function describeEvent(
  type: string,
  d: Data,
  actor: string,
  s: Running,
  names: NameSource,
): EventCells {
  switch (type) {
    case 'item_registered':
      s.sealNo = (d.sealNo as string | undefined) ?? null;
      return {
        what: 'Registered at seizure',
        fromTo: `seized at ${s.siteName}`,
        details: join(d.condition ? `condition: ${str(d.condition)}` : ''),
        seal: sealText(s.sealNo),
      };
    case 'item_received': {
      const to = str(d.locationCode);
      const cells = {
        what: 'Received into the warehouse',
        fromTo: `${s.location ? names.location(s.location) : 'seizure site'} → ${names.location(to)}`,
        details: join(`custodian: ${names.user(actor)}`, d.condition ? `condition: ${str(d.condition)}` : ''),
        seal: sealText(s.sealNo),
      };
      s.location = to;
      s.custodian = actor;
      return cells;
    }
    case 'item_moved': {
      const from = str(d.fromLocationCode) || s.location;
      const to = str(d.locationCode);
      s.location = to;
      return {
        what: 'Moved',
        fromTo: `${names.location(from)} → ${names.location(to)}`,
        details: join(d.reason ? `reason: ${str(d.reason)}` : ''),
        seal: '',
      };
    }
    case 'item_transferred': {
      const from = str(d.fromCustodian) || s.custodian;
      const to = str(d.custodian);
      s.custodian = to;
      return {
        what: 'Custody transferred',
        fromTo: `${names.user(from)} → ${names.user(to)}`,
        details: join(d.reason ? `reason: ${str(d.reason)}` : ''),
        seal: sealText(s.sealNo),
      };
    }
    case 'item_checked_out': {
      const party = str(d.partyId);
      const cells = {
        what: 'Checked out',
        fromTo: `${names.location(s.location)} → ${names.party(party)}`,
        details: join(`purpose: ${str(d.purpose)}`, d.dueAt ? `due back ${printTime(str(d.dueAt))}` : ''),
        seal: `${sealText(s.sealNo)} on hand-over`,
      };
      s.holder = party;
      s.location = null;
      return cells;
    }
    case 'item_returned': {
      const from = str(d.fromPartyId) || s.holder;
      const to = str(d.locationCode);
      const before = s.sealNo;
      const broken = d.seal === 'broken';
      if (broken && d.newSealNo) s.sealNo = str(d.newSealNo);
      s.holder = null;
      s.location = to;
      return {
        what: 'Returned',
        fromTo: `${names.party(from)} → ${names.location(to)}`,
        details: join(d.condition ? `condition: ${str(d.condition)}` : ''),
        seal: broken
          ? `${before ? `seal ${before}` : 'seal'} BROKEN; resealed ${str(d.newSealNo)}`
          : `${sealText(before)} intact`,
      };
    }
    case 'item_seal_changed': {
      const before = str(d.previousSealNo) || s.sealNo;
      s.sealNo = str(d.newSealNo);
      return {
        what: 'Seal changed',
        fromTo: '',
        details: join(d.reason ? `reason: ${str(d.reason)}` : ''),
        seal: `${before ? `seal ${before}` : 'no seal'} → seal ${s.sealNo}`,
      };
    }
    case 'item_examined':
      return {
        what: `Examined by ${str(d.examiner)}`,
        fromTo: d.partyId ? `at ${names.party(str(d.partyId))}` : '',
        details: join(`findings: ${str(d.findings)}`),
        seal: '',
      };
    case 'item_valued':
      return {
        what: `Valued at ${printMoney(Number(d.amountMinor), str(d.currency))}`,
        fromTo: '',
        details: join(
          `method: ${words(str(d.method))}`,
          `appraiser: ${str(d.appraiser)}`,
          `as of ${str(d.asOf)}`,
        ),
        seal: '',
      };
    case 'item_note':
      return { what: 'Note', fromTo: '', details: str(d.text), seal: '' };
    case 'item_correction': {
      const fields = (d.fields ?? {}) as Data;
      return {
        what: `Correction of seq ${str(d.corrects)}`,
        fromTo: '',
        details: join(
          ...Object.entries(fields).map(([k, v]) => correctedField(k, v, names)),
          `why: ${str(d.reason)}`,
        ),
        seal: '',
      };
    }
    case 'item_disposal_authorised':
      s.authority = authorityText(d.authority as Data | undefined);
      return {
        what: 'Disposal authorised',
        fromTo: '',
        details: join(
          `${DISPOSITION_WORDS[str(d.disposition)] ?? words(str(d.disposition))} under ${s.authority}`,
        ),
        seal: '',
      };
    case 'item_disposal_cancelled':
      s.authority = undefined;
      return {
        what: 'Disposal cancelled',
        fromTo: '',
        details: join(d.reason ? `reason: ${str(d.reason)}` : ''),
        seal: '',
      };
    case 'item_reported_missing': {
      const last = str(d.lastLocationCode);
      return {
        what: 'Reported missing',
        fromTo: last ? `last recorded at ${names.location(last)}` : '',
        details: join(
          d.reason === 'missing_at_disposal' ? 'not found when the disposal was carried out' : '',
          d.certificateNo ? `certificate ${str(d.certificateNo)}` : '',
          d.auditId ? 'not found by an audit' : '',
        ),
        seal: '',
      };
    }
    case 'item_destroyed':
    case 'item_sold':
    case 'item_released':
    case 'item_transferred_to_agency': {
      const cells = disposedCells(type, d, s, names);
      s.location = null;
      s.holder = null;
      return cells;
    }
    default: {
      const name = words(type.replace(/^item_/, ''));
      return {
        what: name.charAt(0).toUpperCase() + name.slice(1),
        fromTo: '',
        details: printValue(d),
        seal: '',
      };
    }
  }
}

/** What each disposition means for the item, as the authorisation row says it. */
export const DISPOSITION_WORDS: Record<string, string> = {
  destroy: 'to be destroyed',
  sell: 'to be sold',
  release_to_owner: 'to be released to its owner',
  transfer_to_agency: 'to be handed over to another agency',
};

/** "court order 2-1187/2026 of 2026-11-20 (Екібастұз қалалық соты)". */
export function authorityText(a: Data | undefined): string {
  if (!a) return 'an authority not recorded';
  return `${words(str(a.kind))} ${str(a.number)} of ${str(a.date)} (${str(a.issuer)})`;
}

/** A witness of a disposal: a user by name and role, or "name, title (agency)". */
function witnessText(w: Data, names: NameSource): string {
  if (w.userId) return names.user(str(w.userId));
  return `${str(w.name)}, ${str(w.title)} (${str(w.agency)})`;
}

const TERMINAL_WHAT: Record<string, string> = {
  item_destroyed: 'Destroyed',
  item_sold: 'Sold',
  item_released: 'Released to its owner',
  item_transferred_to_agency: 'Handed over to another agency',
};

/** The row of an item's final event: how, where, to whom, under which authority, certificate, witnesses. */
function disposedCells(type: string, d: Data, s: Running, names: NameSource): EventCells {
  const under = s.authority ? `under ${s.authority}` : '';
  const witnesses = Array.isArray(d.witnesses) ? (d.witnesses as Data[]) : [];
  const head =
    type === 'item_destroyed'
      ? `by ${str(d.method)} at ${str(d.place)}`
      : type === 'item_sold'
        ? `to ${str(d.buyer)}${d.buyerReference ? ` (${str(d.buyerReference)})` : ''}${
            d.proceedsMinor !== undefined
              ? ` for ${printMoney(Number(d.proceedsMinor), str(d.currency))}`
              : ''
          }`
        : type === 'item_released'
          ? `to ${str((d.owner as Data | undefined)?.name)} (${str((d.owner as Data | undefined)?.identityDocument)})`
          : `to ${str((d.agency as Data | undefined)?.name)}${
              (d.agency as Data | undefined)?.reference ? ` (${str((d.agency as Data).reference)})` : ''
            }`;
  return {
    what: TERMINAL_WHAT[type] ?? type,
    fromTo: '',
    details: join(
      [head, under].filter(Boolean).join(' '),
      d.certificateNo ? `certificate ${str(d.certificateNo)}` : '',
      witnesses.length > 0 ? `witnesses: ${witnesses.map((w) => witnessText(w, names)).join('; ')}` : '',
    ),
    seal: '',
  };
}
