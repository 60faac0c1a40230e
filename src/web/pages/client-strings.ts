import { CATALOGUES, type I18n } from '../i18n';

/** The catalogue entries a page's script needs, by key prefix, in the page's language. */
export function clientStrings(i: I18n, prefixes: string[]): Record<string, string> {
  const out: Record<string, string> = { locale: i.locale };
  for (const [k, v] of Object.entries(CATALOGUES[i.lang]))
    if (prefixes.some((p) => k.startsWith(p))) out[k] = v;
  return out;
}
