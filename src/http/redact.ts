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

/** Whether a URL carries something token-shaped (for a 401 that says where tokens go). */
export function hasTokenShaped(text: string): boolean {
  return /cdy(?:_|%5f)[A-Za-z0-9_%-]{6,}/i.test(text);
}
