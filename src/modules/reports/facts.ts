import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { AppError } from '../../lib/errors';
import { getLocation } from '../locations/locations.service';
import { findParty } from '../parties/parties.service';
import { findUser } from '../users/users.service';
import { printLocationCode, printMoney, printTime, printValue, words } from './words';

/**
 * Names for the ids events carry: locations by path, users by name and role, parties by name — as
 * of the report's checkpoint (`asOf`, a tree size), so that the same report at the same checkpoint
 * prints the same names whatever happened since. Of what a name is made, only a user's role can
 * change (user_role_changed); it is read from the ledger up to the checkpoint. Display names,
 * location paths and party names are fixed when recorded: no event renames them.
 */
export class Names {
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
}

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const join = (...parts: string[]) => parts.filter((p) => p !== '').join('; ');
const sealText = (no: string | null) => (no ? `seal ${no}` : 'no seal');

/** A corrected member and its value, in words (codes and ids resolved). */
function correctedField(key: string, value: unknown, names: Names): string {
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
export function describeEvent(type: string, d: Data, actor: string, s: Running, names: Names): EventCells {
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
    default: {
      const name = words(type.replace(/^item_/, ''));
      const terminal = [
        'item_destroyed',
        'item_sold',
        'item_released',
        'item_transferred_to_agency',
      ].includes(type);
      if (terminal) {
        s.location = null;
        s.holder = null;
      }
      return {
        what: name.charAt(0).toUpperCase() + name.slice(1),
        fromTo: '',
        details: printValue(d),
        seal: '',
      };
    }
  }
}
