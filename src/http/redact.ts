/**
 * API tokens belong in the Authorization header only. One sent in a URL (`?token=cdy_…`) must not
 * be copied into a log line or a problem's `instance`: everything token-shaped keeps the prefix a
 * token list shows (`cdy_` + 6 characters, enough to find and revoke it) and loses the rest.
 */
const TOKEN_SHAPED = /(cdy(?:_|%5f))([A-Za-z0-9_-]{0,6})[A-Za-z0-9_%-]*/gi;

export function redactTokens(text: string): string {
  if (!/cdy(?:_|%5f)/i.test(text)) return text;
  return text.replace(TOKEN_SHAPED, (_m, prefix: string, kept: string) => `${prefix}${kept}…[redacted]`);
}

/** The listed prefix (`cdy_` + 6) of a token-shaped string in a URL, or null (for the 401's advice). */
export function tokenPrefixIn(text: string): string | null {
  const m = /cdy(?:_|%5f)([A-Za-z0-9_-]{6})[A-Za-z0-9_%-]*/i.exec(text);
  return m ? `cdy_${m[1]}` : null;
}
