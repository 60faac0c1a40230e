import type { LegalGround, SiteOutcome } from '../seizures/seizures.enums';
import {
  AGENCY,
  APPRAISERS,
  ASIC_MODELS,
  type AsicModel,
  asicCents,
  CABLE_LOTS,
  CONDITIONS,
  CONTAINER,
  FARM_FORMS,
  FARM_WORDS,
  type GearModel,
  GPU_CARDS,
  GROUNDS,
  OFFICERS,
  REGIONS,
  type Region,
  SPARES,
  TRANSFORMERS,
  usdPerTh,
} from './demo.catalog';

/**
 * The demo data set as a plan: plain data, drawn from a seeded PRNG, so the same seed and size
 * give the same cases, farms, equipment, values and custody story. demo.loader.ts records it
 * through the services. (Ids, evidence numbers' year and recordedAt come from the run itself.)
 */

export interface DemoSize {
  items: number;
  sites: number;
  cases: number;
}

/** The crackdown's size (DOMAIN.md): 106 sites, 25 cases, ≈ 67,000 items. */
export const SEED_SCALE: DemoSize = { items: 67_000, sites: 106, cases: 25 };
export const DEFAULT_ITEMS = 3_000;

/** Sites and cases for a number of items: about 250 items a site, about four sites a case. */
export function sizeFor(items: number): DemoSize {
  if (!Number.isInteger(items) || items < 1) throw new RangeError('items must be a positive whole number');
  const sites = Math.min(106, Math.max(1, Math.min(items, Math.round(items / 250))));
  const cases = Math.min(25, Math.max(1, Math.round((sites * 25) / 106)));
  return { items, sites, cases };
}

/** mulberry32: small, fast, good enough for demo data; deterministic across platforms. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const weighted = <T>(list: readonly T[], weight: (t: T) => number): T => {
    const total = list.reduce((s, t) => s + weight(t), 0);
    let r = next() * total;
    for (const t of list) {
      r -= weight(t);
      if (r < 0) return t;
    }
    return list[list.length - 1]!;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const chance = (p: number) => next() < p;
  return { next, int, pick, weighted, normal, chance };
}
export type Rng = ReturnType<typeof rng>;

/** The fields of one item as the import's JSON rows take them (ItemFields). */
export interface ItemRowJson {
  category: string;
  make: string;
  model: string;
  serialNumber?: string;
  quantity: number;
  unit: string;
  hashrateThs?: number;
  powerW?: number;
  sealNo: string;
  condition: string;
  description: string;
}

export interface PlannedValuation {
  cents: number;
  asOf: string;
  method: 'market_comparison' | 'expert_appraisal';
  appraiser: string;
}

export interface PlannedItem {
  row: ItemRowJson;
  valuation: PlannedValuation;
  revaluation: PlannedValuation | null;
  /** Days after the seizure it was received into the warehouse; null: still awaiting intake. */
  receivedAfterDays: number | null;
  /** Large kit stands in the yard, not on a shelf. */
  bulky: boolean;
  /** Moved to another bin during a re-shelving in 2023. */
  moved: boolean;
  /** Lent to a court or lab recently (due in the future), and whether it came back. */
  checkout: {
    to: 'court' | 'lab';
    daysAgo: number;
    dueInDays: number;
    returnedDaysAgo: number | null;
  } | null;
}

export interface PlannedSeizure {
  farmName: string;
  region: string;
  regionIndex: number;
  address: string;
  latitude: number;
  longitude: number;
  seizedAt: string;
  seizingOfficer: string;
  warrantRef: string;
  legalGround: LegalGround;
  outcome: SiteOutcome;
  estimatedLoadKw: number;
  items: PlannedItem[];
}

export interface PlannedCase {
  number: string;
  title: string;
  legalBasis: string;
  agency: string;
  openedOn: string;
  seizures: PlannedSeizure[];
}

export interface DemoPlan {
  seed: number;
  size: DemoSize;
  cases: PlannedCase[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ALNUM = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

function serialFor(r: Rng, prefix: string, plant: string): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALNUM[r.int(0, ALNUM.length - 1)];
  return `${prefix}${plant}${s}`;
}

/** Splits `total` into `parts` positive shares with lognormal weights (a few big farms, many small). */
function splitSkewed(r: Rng, total: number, parts: number, spread: number): number[] {
  const weights = Array.from({ length: parts }, () => Math.exp(r.normal() * spread));
  const sum = weights.reduce((a, b) => a + b, 0);
  const free = total - parts; // everyone gets one first
  const raw = weights.map((w) => (w / sum) * free);
  const out = raw.map((x) => 1 + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k++, left--) out[order[k % parts]![1]]! += 1;
  return out;
}

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** A local Kazakhstan time (UTC+6 in 2021–2022 in these regions) in RFC 3339. */
function almatyTime(t: number): string {
  return `${new Date(t + 6 * 3600_000).toISOString().slice(0, 19)}+06:00`;
}

const DAY = 86_400_000;
const CAMPAIGN_START = Date.parse('2021-10-04T00:00:00Z');
const CAMPAIGN_DAYS = 165; // to mid-March 2022, when the agency reported the figures

function conditionFactor(condition: string): number {
  if (condition.includes('хэш-плата')) return 0.35;
  if (condition.includes('неисправен') || condition.includes('перегрев')) return 0.6;
  return 0.8;
}

function valuation(
  r: Rng,
  cents: number,
  asOf: string,
  method: PlannedValuation['method'],
): PlannedValuation {
  return { cents: Math.max(100, Math.round(cents)), asOf, method, appraiser: r.pick(APPRAISERS) };
}

function gear(
  r: Rng,
  g: GearModel,
  sealNo: string,
  qty = 1,
): Omit<PlannedItem, 'valuation'> & { usd: number } {
  const usd = g.usd[0] + r.next() * (g.usd[1] - g.usd[0]);
  return {
    row: {
      category: g.category,
      make: g.make,
      model: g.model,
      ...(qty === 1 && g.category !== 'cable_lot' ? { serialNumber: serialFor(r, '', 'G') } : {}),
      quantity: qty,
      unit: g.unit ?? 'pcs',
      ...(g.powerW ? { powerW: g.powerW } : {}),
      sealNo,
      condition: r.pick(CONDITIONS.slice(0, 4)),
      description: g.description,
    },
    usd: usd * qty,
    revaluation: null,
    receivedAfterDays: null,
    bulky: g.category === 'transformer' || g.category === 'container',
    moved: false,
    checkout: null,
  };
}

function asic(r: Rng, m: AsicModel, sealNo: string, seizedDay: string): PlannedItem {
  const condition = r.pick(CONDITIONS);
  const cents = asicCents(m, seizedDay) * conditionFactor(condition);
  const revalue = r.chance(0.18);
  const lateDay = isoDay(Date.parse('2022-10-01') + r.int(0, 80) * DAY);
  return {
    row: {
      category: 'asic_miner',
      make: m.make,
      model: m.model,
      serialNumber: serialFor(r, m.make === 'Bitmain' ? 'JYZZ' : 'HTM', m.serialPrefix),
      quantity: 1,
      unit: 'pcs',
      hashrateThs: m.hashrateThs,
      powerW: m.powerW,
      sealNo,
      condition,
      description: `${m.description}, ${m.powerW} W, PSU ${m.psu}`,
    },
    valuation: valuation(r, cents, seizedDay, 'market_comparison'),
    revaluation: revalue
      ? valuation(r, asicCents(m, lateDay) * conditionFactor(condition), lateDay, 'expert_appraisal')
      : null,
    receivedAfterDays: null,
    bulky: false,
    moved: false,
    checkout: null,
  };
}

function gpuRig(r: Rng, sealNo: string, seizedDay: string): PlannedItem {
  const card = r.pick(GPU_CARDS);
  const cards = r.int(6, 8);
  // GPU prices slid with the same market; a frame, board and PSU add about $450.
  const usdAt = (day: string) => cards * card.usd * (usdPerTh(day) / usdPerTh('2022-01-01')) + 450;
  const lateDay = isoDay(Date.parse('2022-10-01') + r.int(0, 80) * DAY);
  return {
    row: {
      category: 'gpu_rig',
      make: 'Noname (open frame)',
      model: `${cards}× ${card.name}`,
      serialNumber: serialFor(r, 'RIG', String(cards)),
      quantity: 1,
      unit: 'pcs',
      powerW: cards * card.w + 150,
      sealNo,
      condition: r.pick(CONDITIONS.slice(0, 5)),
      description: `GPU-риг, ${cards} карт ${card.name}, ≈ ${cards * card.mhs} MH/s Ethash`,
    },
    valuation: valuation(r, usdAt(seizedDay) * 100 * 0.85, seizedDay, 'market_comparison'),
    revaluation: r.chance(0.25)
      ? valuation(r, usdAt(lateDay) * 100 * 0.7, lateDay, 'expert_appraisal')
      : null,
    receivedAfterDays: null,
    bulky: false,
    moved: false,
    checkout: null,
  };
}

function farmName(r: Rng, used: Set<string>): string {
  for (;;) {
    const form = r.pick(FARM_FORMS);
    const word = r.pick(FARM_WORDS);
    const name = form.replace('{}', used.has(`${form}${word}`) ? `${word}-${r.int(2, 9)}` : word);
    if (!used.has(name)) {
      used.add(name);
      used.add(`${form}${word}`);
      return name;
    }
  }
}

function planSite(
  r: Rng,
  count: number,
  region: Region,
  regionIndex: number,
  outcome: SiteOutcome,
  ground: LegalGround,
  usedNames: Set<string>,
  sealBase: { n: number },
): PlannedSeizure {
  const town = r.pick(region.towns);
  const seized = CAMPAIGN_START + r.int(0, CAMPAIGN_DAYS) * DAY + r.int(1, 5) * 3600_000;
  const seizedDay = isoDay(seized + 6 * 3600_000);
  const seal = () => `АФМ-${region.code}-${pad(++sealBase.n, 7)}`;
  const modern = r.chance(0.5);
  const gpuFarm = r.chance(0.1);
  const items: PlannedItem[] = [];
  const add = (g: GearModel, qty = 1) => {
    const { usd, ...rest } = gear(r, g, seal(), qty);
    items.push({ ...rest, valuation: valuation(r, usd * 100, seizedDay, 'market_comparison') });
  };
  const share = (f: number) => (count >= 20 ? Math.round(count * f) : 0);
  if (count >= 50)
    for (let i = Math.min(6, 1 + Math.floor(count / 400)); i > 0; i--) add(r.pick(TRANSFORMERS));
  if (outcome === 'terminated' && count >= 300) for (let i = r.int(1, 2); i > 0; i--) add(CONTAINER);
  for (let i = count >= 20 ? Math.max(1, share(0.008)) : 0; i > 0; i--) {
    const lot = r.pick(CABLE_LOTS);
    add(lot, lot.unit === 'm' ? r.int(5, 60) * 10 : r.int(20, 240));
  }
  for (let i = share(0.03); i > 0; i--) add(r.pick(SPARES.filter((s) => s.category === 'psu')));
  for (let i = share(0.02); i > 0; i--) {
    const fan = r.pick(SPARES.filter((s) => s.category === 'cooling'));
    add(fan, fan.model.includes('lot') ? r.int(20, 200) : 1);
  }
  for (let i = share(0.012); i > 0; i--) add(r.pick(SPARES.filter((s) => s.category === 'network')));
  for (let i = share(0.01); i > 0; i--) add(r.pick(SPARES.filter((s) => s.category === 'other')));
  const rigs = gpuFarm ? Math.round((count - items.length) * 0.6) : 0;
  for (let i = 0; i < rigs && items.length < count; i++) items.push(gpuRig(r, seal(), seizedDay));
  while (items.length < count) {
    const m = r.weighted(ASIC_MODELS, (x) => (modern ? x.weightNew : x.weightOld));
    items.push(asic(r, m, seal(), seizedDay));
  }
  items.length = count;
  const powerKw = items.reduce((s, i) => s + (i.row.powerW ?? 0) * i.row.quantity, 0) / 1000;
  const street = r.pick(region.streets);
  return {
    farmName: farmName(r, usedNames),
    region: region.name,
    regionIndex,
    address: `${region.local}, ${town.label}${town.label.includes(town.name) ? '' : ` (${town.name})`}, ${street} ${r.int(1, 120)}`,
    latitude: Number((town.lat + r.normal() * 0.03).toFixed(5)),
    longitude: Number((town.lon + r.normal() * 0.03).toFixed(5)),
    seizedAt: almatyTime(seized),
    seizingOfficer: r.pick(OFFICERS),
    warrantRef: `постановление ${r.int(1, 40)}-${seizedDay.slice(0, 4)}/${r.int(100, 999)} от ${seizedDay}`,
    legalGround: ground,
    outcome,
    // The meters showed more than the rated load found on site (cooling, losses, removed kit).
    estimatedLoadKw: Math.round(powerKw * (1.1 + r.next() * 0.2)),
    items,
  };
}

/** Adds the custody story: intake after the raid, some re-shelving, recent loans to courts and labs. */
function planCustody(r: Rng, items: PlannedItem[]): void {
  for (const it of items) {
    it.receivedAfterDays = r.chance(0.93) ? r.int(1, 12) : null;
    if (it.receivedAfterDays === null || it.bulky) continue;
    it.moved = r.chance(0.04);
    if (it.row.category === 'asic_miner' || it.row.category === 'gpu_rig') {
      if (r.chance(0.006)) {
        const daysAgo = r.int(8, 45);
        it.checkout = {
          to: r.chance(0.6) ? 'court' : 'lab',
          daysAgo,
          dueInDays: r.int(7, 60),
          returnedDaysAgo: r.chance(0.55) ? r.int(1, daysAgo - 2) : null,
        };
      }
    }
  }
}

/** The whole data set for a size and a seed. */
export function planDemo(size: DemoSize, seed: number): DemoPlan {
  const r = rng(seed);
  const counts = splitSkewed(r, size.items, size.sites, 0.9);
  // 55 of 106 sites ceased voluntarily, 51 were terminated; the same split at other sizes.
  const ceased = Math.round((size.sites * 55) / 106);
  const outcomes: SiteOutcome[] = Array.from({ length: size.sites }, (_, i) =>
    i < ceased ? 'ceased_voluntarily' : 'terminated',
  );
  for (let i = outcomes.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [outcomes[i], outcomes[j]] = [outcomes[j]!, outcomes[i]!];
  }
  const regionOfSite = Array.from({ length: size.sites }, () =>
    REGIONS.indexOf(r.weighted(REGIONS, (x) => x.weight)),
  );
  const order = [...regionOfSite.keys()].sort((a, b) => regionOfSite[a]! - regionOfSite[b]! || a - b);
  // Cases take consecutive sites of the same region where they can (one operator, one investigation).
  const perCase = splitSkewed(r, size.sites, size.cases, 0.5);
  const usedNames = new Set<string>();
  const sealBase = { n: r.int(10_000, 90_000) };
  const cases: PlannedCase[] = [];
  let at = 0;
  perCase.forEach((n, c) => {
    const sites = order.slice(at, at + n);
    at += n;
    const g = r.weighted(GROUNDS, (x) => x.weight);
    const region = REGIONS[regionOfSite[sites[0]!]!]!;
    const seizures = sites.map((s) =>
      planSite(
        r,
        counts[s]!,
        REGIONS[regionOfSite[s]!]!,
        regionOfSite[s]!,
        outcomes[s]!,
        g.ground,
        usedNames,
        sealBase,
      ),
    );
    seizures.sort((a, b) => a.seizedAt.localeCompare(b.seizedAt));
    for (const s of seizures) planCustody(r, s.items);
    const first = seizures[0]!;
    cases.push({
      number: `22${region.code}00031${pad(c + 1, 6)}`,
      title: `${g.title}: ${seizures.length === 1 ? first.farmName : `${first.farmName} и ещё ${seizures.length - 1}`} (${region.local})`,
      legalBasis: g.basis,
      agency: AGENCY,
      openedOn: first.seizedAt.slice(0, 10),
      seizures,
    });
  });
  return { seed, size, cases };
}

/** Totals of a plan, for the summary line and the tests. */
export function planTotals(plan: DemoPlan) {
  let items = 0;
  let cents = 0;
  let latestCents = 0;
  let powerW = 0;
  for (const c of plan.cases) {
    for (const s of c.seizures) {
      for (const it of s.items) {
        items += 1;
        cents += it.valuation.cents;
        latestCents += (it.revaluation ?? it.valuation).cents;
        powerW += (it.row.powerW ?? 0) * it.row.quantity;
      }
    }
  }
  const sites = plan.cases.reduce((n, c) => n + c.seizures.length, 0);
  return {
    cases: plan.cases.length,
    sites,
    items,
    usdAtSeizure: cents / 100,
    usdLatest: latestCents / 100,
    powerMw: powerW / 1e6,
  };
}
