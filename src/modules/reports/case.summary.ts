import type { Db } from '../../db/open';
import type { ItemCategory, ItemStatus } from '../items/items.enums';
import { mwhPerDay, POWER_DRAW_CATEGORIES } from '../items/items.summary';
import type { SeizureView } from '../seizures/seizures.service';
import type { Names } from './facts';
import type { Field } from './item.payload';
import { printEvidenceNo, printMoney, printNumber, printTime, words } from './words';

/** Which of a case's items a case report covers. */
export interface CaseFilter {
  caseId: string;
  seizureId?: string | undefined;
  category?: ItemCategory | undefined;
  status?: ItemStatus | undefined;
  /** Items registered after the checkpoint are not in it. */
  treeSize: number;
}

/** The report's summary: every figure as printed (cells of its tables). */
export interface CaseSummaryFacts {
  totals: Field[];
  seizures: string[][];
  categories: string[][];
  statuses: string[][];
  values: string[][];
  checkouts: string[][];
}

export function filterSql(f: CaseFilter, alias = 'i'): string {
  const parts = [`${alias}.case_id = @caseId`, `${alias}.registered_seq <= @treeSize`];
  if (f.seizureId !== undefined) parts.push(`${alias}.seizure_id = @seizureId`);
  if (f.category !== undefined) parts.push(`${alias}.category = @category`);
  if (f.status !== undefined) parts.push(`${alias}.status = @status`);
  return parts.join(' AND ');
}

export function filterParams(f: CaseFilter): Record<string, unknown> {
  const p: Record<string, unknown> = { caseId: f.caseId, treeSize: f.treeSize };
  if (f.seizureId !== undefined) p.seizureId = f.seizureId;
  if (f.category !== undefined) p.category = f.category;
  if (f.status !== undefined) p.status = f.status;
  return p;
}

const DRAWS = POWER_DRAW_CATEGORIES.map((c) => `'${c}'`).join(', ');
const kw = (watts: number) => Math.round(watts) / 1000;

/**
 * The figures a case report opens with, for the items it covers: seizures with the load they took
 * off the grid (site estimate and the rated load of what was seized, kW and MWh/day), items by
 * category and status, values by currency (latest valuation of each item), open check-outs.
 */
export function caseSummaryFacts(
  db: Db,
  f: CaseFilter,
  seizures: readonly SeizureView[],
  names: Names,
  at: Date,
): { facts: CaseSummaryFacts; itemCount: number } {
  const where = filterSql(f);
  const params = filterParams(f);
  const q = <T>(sql: string) => db.sqlite.prepare(sql).all(params) as T[];
  const bySeizure = new Map(
    q<{ seizureId: string; n: number; watts: number }>(
      `SELECT seizure_id AS seizureId, count(*) AS n,
         sum(CASE WHEN category IN (${DRAWS}) THEN coalesce(power_w, 0) * quantity ELSE 0 END) AS watts
       FROM items i WHERE ${where} GROUP BY seizure_id`,
    ).map((r) => [r.seizureId, r]),
  );
  const shown = seizures.filter((s) => f.seizureId === undefined || s.id === f.seizureId);
  let siteKw = 0;
  let ratedWatts = 0;
  let itemCount = 0;
  const seizureRows = shown.map((s) => {
    const r = bySeizure.get(s.id);
    siteKw += s.estimatedLoadKw ?? 0;
    ratedWatts += r?.watts ?? 0;
    itemCount += r?.n ?? 0;
    return [
      `${s.farmName}, ${s.region}`,
      printTime(s.seizedAt),
      words(s.outcome),
      printNumber(r?.n ?? 0),
      s.estimatedLoadKw === null ? '—' : printNumber(s.estimatedLoadKw),
      s.estimatedLoadKw === null ? '—' : printNumber(mwhPerDay(s.estimatedLoadKw)),
      printNumber(kw(r?.watts ?? 0)),
    ];
  });
  const categories = q<{ category: string; n: number; watts: number }>(
    `SELECT category, count(*) AS n,
       sum(CASE WHEN category IN (${DRAWS}) THEN coalesce(power_w, 0) * quantity ELSE 0 END) AS watts
     FROM items i WHERE ${where} GROUP BY category ORDER BY count(*) DESC, category`,
  ).map((r) => [words(r.category), printNumber(r.n), r.watts > 0 ? printNumber(kw(r.watts)) : '—']);
  const statuses = q<{ status: string; n: number }>(
    `SELECT status, count(*) AS n FROM items i WHERE ${where} GROUP BY status ORDER BY count(*) DESC, status`,
  ).map((r) => [words(r.status), printNumber(r.n)]);
  const values = q<{ currency: string; total: number; n: number }>(
    `SELECT value_currency AS currency, sum(value_minor) AS total, count(*) AS n FROM items i
     WHERE ${where} AND value_minor IS NOT NULL AND value_currency IS NOT NULL
     GROUP BY value_currency ORDER BY value_currency`,
  ).map((r) => [r.currency, printMoney(r.total, r.currency), printNumber(r.n)]);
  const checkouts = q<{
    evidenceNo: string;
    holder: string | null;
    purpose: string | null;
    dueAt: string | null;
  }>(
    `SELECT evidence_no AS evidenceNo, holder_party_id AS holder, checkout_purpose AS purpose, due_at AS dueAt
     FROM items i WHERE ${where} AND status = 'checked_out' ORDER BY due_at, registered_seq`,
  ).map((r) => [
    printEvidenceNo(r.evidenceNo),
    names.party(r.holder),
    r.purpose ?? '—',
    r.dueAt ? printTime(r.dueAt) : '—',
    r.dueAt && Date.parse(r.dueAt) < at.getTime() ? 'OVERDUE' : '',
  ]);
  const ratedKw = kw(ratedWatts);
  const totals: Field[] = [
    ['Items', printNumber(itemCount)],
    ['Seizures', printNumber(shown.length)],
    ['Load removed (site estimates)', `${printNumber(siteKw)} kW, ${printNumber(mwhPerDay(siteKw))} MWh/day`],
    ['Rated load of the items', `${printNumber(ratedKw)} kW, ${printNumber(mwhPerDay(ratedKw))} MWh/day`],
    ['Open check-outs', printNumber(checkouts.length)],
  ];
  return { facts: { totals, seizures: seizureRows, categories, statuses, values, checkouts }, itemCount };
}
