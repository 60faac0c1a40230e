import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { ITEM_CATEGORIES, ITEM_STATUSES, type ItemCategory, type ItemStatus } from './items.enums';

/**
 * Categories whose rated power is a load on the grid. PSUs and transformers convert power rather
 * than draw it, and cables and containers draw none, so counting them would add the same load twice.
 */
export const POWER_DRAW_CATEGORIES = [
  'asic_miner',
  'gpu_rig',
  'gpu',
  'cooling',
  'network',
] as const satisfies readonly ItemCategory[];

export interface ValueTotal {
  currency: string;
  totalMinor: number;
  valuedItems: number;
}

export interface ItemTotals {
  itemCount: number;
  byCategory: Record<ItemCategory, number>;
  byStatus: Record<ItemStatus, number>;
  valuation: ValueTotal[];
  /** Σ powerW × quantity over the power-drawing categories, in kW. */
  ratedPowerKw: number;
  /** The energy that load represents in a day: kW × 24 / 1000. */
  energyMwhPerDay: number;
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

const round3 = (n: number) => Math.round(n * 1000) / 1000;
export const mwhPerDay = (kw: number) => round3((kw * 24) / 1000);

function emptyTotals(): ItemTotals {
  return {
    itemCount: 0,
    byCategory: zeros(ITEM_CATEGORIES),
    byStatus: zeros(ITEM_STATUSES),
    valuation: [],
    ratedPowerKw: 0,
    energyMwhPerDay: 0,
  };
}

const DRAWS = POWER_DRAW_CATEGORIES.map((c) => `'${c}'`).join(', ');

/**
 * Totals of a case's items, overall and per seizure, in three grouped scans of the case's rows.
 * Valuation totals are the latest valuation of each item, summed per currency.
 */
export function summariseCaseItems(
  db: Db,
  caseId: string,
): { total: ItemTotals; bySeizure: Map<string, ItemTotals> } {
  const total = emptyTotals();
  const bySeizure = new Map<string, ItemTotals>();
  const of = (seizureId: string) => {
    let t = bySeizure.get(seizureId);
    if (!t) {
      t = emptyTotals();
      bySeizure.set(seizureId, t);
    }
    return t;
  };
  const counts = prepared(
    db,
    `SELECT seizure_id AS seizureId, category, status, count(*) AS n,
         sum(CASE WHEN category IN (${DRAWS}) THEN coalesce(power_w, 0) * quantity ELSE 0 END) AS watts
       FROM items WHERE case_id = ? GROUP BY seizure_id, category, status`,
  ).all(caseId) as {
    seizureId: string;
    category: ItemCategory;
    status: ItemStatus;
    n: number;
    watts: number;
  }[];
  for (const r of counts) {
    for (const t of [total, of(r.seizureId)]) {
      t.itemCount += r.n;
      t.byCategory[r.category] += r.n;
      t.byStatus[r.status] += r.n;
      t.ratedPowerKw += r.watts / 1000;
    }
  }
  const values = prepared(
    db,
    `SELECT seizure_id AS seizureId, value_currency AS currency, sum(value_minor) AS totalMinor, count(*) AS n
       FROM items WHERE case_id = ? AND value_minor IS NOT NULL AND value_currency IS NOT NULL
       GROUP BY seizure_id, value_currency ORDER BY value_currency`,
  ).all(caseId) as { seizureId: string; currency: string; totalMinor: number; n: number }[];
  for (const r of values) {
    for (const t of [total, of(r.seizureId)]) {
      const v = t.valuation.find((x) => x.currency === r.currency);
      if (v) {
        v.totalMinor += r.totalMinor;
        v.valuedItems += r.n;
      } else t.valuation.push({ currency: r.currency, totalMinor: r.totalMinor, valuedItems: r.n });
    }
  }
  for (const t of [total, ...bySeizure.values()]) {
    t.ratedPowerKw = round3(t.ratedPowerKw);
    t.energyMwhPerDay = mwhPerDay(t.ratedPowerKw);
  }
  return { total, bySeizure };
}

export const emptyItemTotals = emptyTotals;
