/**
 * Facts in plain words, as a court reads them: times with their offset, money in units, codes as
 * people write them. Pure functions of their input: the same payload always prints the same text.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** An RFC 3339 time as printed, keeping the offset it was given: "2026-03-14 09:30 +05:00". */
export function printTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(iso);
  if (!m) return iso;
  const [, date, hm, sec, offset] = m as unknown as [string, string, string, string | undefined, string];
  const seconds = sec && sec !== '00' ? `:${sec}` : '';
  return `${date} ${hm}${seconds} ${offset.toUpperCase() === 'Z' ? 'UTC' : offset}`;
}

/** A UTC instant (recordedAt, a checkpoint's time) as printed: "2026-12-01 08:41:08 UTC". */
export function printUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

// ISO 4217 minor units: two digits unless listed here (a fixed table, so output never depends on ICU).
// biome-ignore format: a list
const ZERO_DIGITS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DIGITS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

function minorDigits(currency: string): number {
  return ZERO_DIGITS.has(currency) ? 0 : THREE_DIGITS.has(currency) ? 3 : 2;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer minor units as money: 450000 USD → "4,500.00 USD"; 120000000 KZT → "1,200,000.00 KZT". */
export function printMoney(amountMinor: number, currency: string): string {
  const d = minorDigits(currency);
  const s = String(Math.trunc(Math.abs(amountMinor))).padStart(d + 1, '0');
  const units = group(s.slice(0, s.length - d));
  const sign = amountMinor < 0 ? '−' : '';
  return `${sign}${units}${d > 0 ? `.${s.slice(s.length - d)}` : ''} ${currency}`;
}

/** A number as printed: up to three decimals, grouped thousands ("1,323", "13.5", "2,520.75"). */
export function printNumber(n: number): string {
  const rounded = Math.round(n * 1000) / 1000;
  const [int, frac] = String(Math.abs(rounded)).split('.');
  return `${rounded < 0 ? '−' : ''}${group(int ?? '0')}${frac ? `.${frac}` : ''}`;
}

/** A snake_case enum value in words: "illegal_grid_connection" → "illegal grid connection". */
export const words = (value: string) => value.replace(/_/g, ' ');

/** "EV2600671238" → "EV-26-0067123-8". */
export const printEvidenceNo = (compact: string) =>
  `EV-${compact.slice(2, 4)}-${compact.slice(4, 11)}-${compact.slice(11)}`;

/** "LC00012340" → "LC-0001234-0". */
export const printLocationCode = (compact: string) => `LC-${compact.slice(2, 9)}-${compact.slice(9)}`;

/** A value of any JSON kind, briefly, for generic "member: value" lists. */
export function printValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return printNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map(printValue).join(', ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${printValue(x)}`)
    .join('; ');
}
