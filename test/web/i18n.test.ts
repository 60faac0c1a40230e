import { describe, expect, it } from 'vitest';
import { CATALOGUES, i18n, LANGS, langFromAcceptLanguage } from '../../src/web/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  const keys = Object.keys(CATALOGUES.en).sort();

  it.each(LANGS)(
    '%s has every key, each a non-empty string with the same placeholders as English',
    (lang) => {
      const cat = CATALOGUES[lang] as Record<string, string>;
      expect(Object.keys(cat).sort()).toEqual(keys);
      for (const k of keys) {
        expect(cat[k], `${lang} ${k}`).toMatch(/\S/);
        expect(placeholders(cat[k]!), `${lang} ${k}`).toEqual(
          placeholders((CATALOGUES.en as Record<string, string>)[k]!),
        );
      }
    },
  );

  it('Russian and Kazakh are translations, not copies of English', () => {
    const same = (lang: 'ru' | 'kk') =>
      keys.filter(
        (k) =>
          (CATALOGUES[lang] as Record<string, string>)[k] === (CATALOGUES.en as Record<string, string>)[k],
      );
    // Only what reads the same in every language: language names, TH/s, "{ev} → {where}".
    const universal = ['lang.en', 'lang.kk', 'lang.ru', 'scan.willMove', 'unit.ths'];
    expect(same('ru')).toEqual(universal);
    expect(same('kk')).toEqual(universal);
  });
});

describe('formats', () => {
  it('shows times with the UTC+5 offset in each locale', () => {
    expect(i18n('ru').dateTime('2026-12-01T08:05:00Z')).toBe('01.12.2026, 13:05 UTC+5');
    expect(i18n('en').dateTime('2026-12-01T20:05:00+00:00')).toBe('02/12/2026, 01:05 UTC+5');
    expect(i18n('kk').date('2022-03-01')).toBe('01.03.2022');
  });

  it('numbers and money in the locale’s form, from integer minor units', () => {
    expect(i18n('en').money(123456789, 'USD')).toBe('US$1,234,567.89');
    expect(i18n('ru').money(123456789, 'USD').replace(/\s/g, ' ')).toBe('1 234 567,89 $');
    expect(i18n('kk').number(67000).replace(/\s/g, ' ')).toBe('67 000');
    expect(i18n('en').money(5000, 'JPY')).toBe('JP¥5,000');
  });

  it('picks the language from Accept-Language, by q-value, else Russian', () => {
    expect(langFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(langFromAcceptLanguage('de;q=1, kk;q=0.5, ru;q=0.7')).toBe('ru');
    expect(langFromAcceptLanguage('kk-KZ')).toBe('kk');
    expect(langFromAcceptLanguage('fr')).toBe('ru');
    expect(langFromAcceptLanguage(undefined)).toBe('ru');
  });
});
