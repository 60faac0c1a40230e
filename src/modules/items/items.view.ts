import type { RowOf } from '../../db/rows';
import { formatLocationCode } from '../../lib/codes';
import type { ItemCategory, ItemStatus } from './items.enums';
import type { items } from './items.schema';

/** The stored row, as the items table holds it (typed by the schema; see src/db/rows.ts). */
export type ItemRow = RowOf<typeof items>;

export interface ViewRow extends ItemRow {
  location_path: string | null;
  custodian_name: string | null;
  holder_kind: string | null;
  holder_name: string | null;
}

export interface ItemView {
  evidenceNo: string;
  printed: string;
  caseId: string;
  seizureId: string;
  category: ItemCategory;
  make: string | null;
  model: string | null;
  serialNumber: string | null;
  quantity: number;
  unit: string;
  hashrateThs: number | null;
  powerW: number | null;
  sealNo: string | null;
  condition: string | null;
  description: string | null;
  parentEvidenceNo: string | null;
  status: ItemStatus;
  location: { code: string; printed: string; path: string } | null;
  custodian: { id: string; displayName: string | null } | null;
  holder: { id: string; kind: string | null; name: string | null } | null;
  checkout: { purpose: string | null; dueAt: string | null; overdue: boolean } | null;
  valuation: { amountMinor: number; currency: string; asOf: string | null } | null;
  registeredSeq: number;
  lastSeq: number;
}

// Reads join the tables that name what the item row refers to (location path, custodian, holder).
export const VIEW_SELECT = `SELECT i.*, l.path AS location_path, u.display_name AS custodian_name,
  p.kind AS holder_kind, p.name AS holder_name
  FROM items i
  LEFT JOIN locations l ON l.code = i.location_code
  LEFT JOIN users u ON u.id = i.custodian_user_id
  LEFT JOIN parties p ON p.id = i.holder_party_id`;

export function toView(r: ViewRow, now: Date): ItemView {
  const printed = `EV-${r.evidence_no.slice(2, 4)}-${r.evidence_no.slice(4, 11)}-${r.evidence_no.slice(11)}`;
  const location = r.location_code
    ? {
        code: r.location_code,
        printed: formatLocationCode(Number(r.location_code.slice(2, 9))).printed,
        path: r.location_path ?? r.location_code,
      }
    : null;
  const checkedOut = r.status === 'checked_out';
  return {
    evidenceNo: r.evidence_no,
    printed,
    caseId: r.case_id,
    seizureId: r.seizure_id,
    category: r.category,
    make: r.make,
    model: r.model,
    serialNumber: r.serial_number,
    quantity: r.quantity,
    unit: r.unit,
    hashrateThs: r.hashrate_ths,
    powerW: r.power_w,
    sealNo: r.seal_no,
    condition: r.condition,
    description: r.description,
    parentEvidenceNo: r.parent_evidence_no,
    status: r.status,
    location,
    custodian: r.custodian_user_id ? { id: r.custodian_user_id, displayName: r.custodian_name } : null,
    holder: r.holder_party_id ? { id: r.holder_party_id, kind: r.holder_kind, name: r.holder_name } : null,
    checkout:
      checkedOut || r.due_at || r.checkout_purpose
        ? {
            purpose: r.checkout_purpose,
            dueAt: r.due_at,
            overdue: checkedOut && r.due_at !== null && Date.parse(r.due_at) < now.getTime(),
          }
        : null,
    valuation:
      r.value_minor !== null && r.value_currency
        ? { amountMinor: r.value_minor, currency: r.value_currency, asOf: r.value_as_of }
        : null,
    registeredSeq: r.registered_seq,
    lastSeq: r.last_seq,
  };
}
