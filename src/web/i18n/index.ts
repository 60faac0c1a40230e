import { en } from './en';
import { kk } from './kk';
import { ru } from './ru';

export const LANGS = ['ru', 'kk', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

export const CATALOGUES: Record<Lang, Catalogue> = { en, ru, kk };

/** The BCP 47 locale each language formats numbers, money and dates in. */
export const LOCALES: Record<Lang, string> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };

/** The first deployment runs on Kazakhstan time (UTC+5 since 2024): times are shown with that offset. */
export const DISPLAY_OFFSET_MINUTES = 300;

export const isLang = (value: unknown): value is Lang => LANGS.includes(value as Lang);

/** The best of our languages for an Accept-Language header (q-values honoured), else Russian. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'ru';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((x) => isLang(x.tag))?.tag as Lang | undefined) ?? 'ru';
}

export interface I18n {
  lang: Lang;
  locale: string;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A date-time with its offset, e.g. `01.12.2026, 14:05 UTC+5`. */
  dateTime(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
  number(n: number | null | undefined, digits?: number): string;
  money(minor: number, currency: string): string;
  /** Money rounded to whole units, for totals in tiles. */
  moneyWhole(minor: number, currency: string): string;
}

const shifted = (iso: string) => new Date(Date.parse(iso) + DISPLAY_OFFSET_MINUTES * 60_000);
const offsetLabel = () => {
  const h = DISPLAY_OFFSET_MINUTES / 60;
  return `UTC${h >= 0 ? '+' : '−'}${Math.abs(h)}`;
};

const cache = new Map<Lang, I18n>();
const digitsOf = (f: Intl.NumberFormat) => f.resolvedOptions().maximumFractionDigits ?? 2;

export function i18n(lang: Lang): I18n {
  const hit = cache.get(lang);
  if (hit) return hit;
  const catalogue = CATALOGUES[lang];
  const locale = LOCALES[lang];
  const dt = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const d = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const numbers = new Map<number, Intl.NumberFormat>();
  const money = new Map<string, Intl.NumberFormat>();
  const whole = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string) => {
    let f = money.get(currency);
    if (!f) {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency });
      money.set(currency, f);
    }
    return f;
  };
  const made: I18n = {
    lang,
    locale,
    t(key, params) {
      const text = catalogue[key] ?? en[key] ?? key;
      if (!params) return text;
      return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
    },
    dateTime(iso) {
      if (!iso || Number.isNaN(Date.parse(iso))) return '—';
      return `${dt.format(shifted(iso))} ${offsetLabel()}`;
    },
    date(iso) {
      if (!iso) return '—';
      // A bare date (YYYY-MM-DD) is a calendar day, not an instant: no shift.
      if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return d.format(new Date(`${iso}T00:00:00Z`));
      return Number.isNaN(Date.parse(iso)) ? '—' : d.format(shifted(iso));
    },
    number(n, digits = 0) {
      if (n === null || n === undefined) return '—';
      let f = numbers.get(digits);
      if (!f) {
        f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
        numbers.set(digits, f);
      }
      return f.format(n);
    },
    money(minor, currency) {
      const f = moneyFormat(currency);
      return f.format(minor / 10 ** digitsOf(f));
    },
    moneyWhole(minor, currency) {
      let f = whole.get(currency);
      if (!f) {
        f = new Intl.NumberFormat(locale, {
          style: 'currency',
          currency,
          maximumFractionDigits: 0,
          minimumFractionDigits: 0,
        });
        whole.set(currency, f);
      }
      return f.format(minor / 10 ** digitsOf(moneyFormat(currency)));
    },
  };
  cache.set(lang, made);
  return made;
}
