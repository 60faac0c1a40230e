import { parseEvidenceNo } from '../../lib/codes';
import { AppError, type ErrorCode } from '../../lib/errors';

/** The most refused numbers one problem lists (a pasted list can hold 100,000); `total` counts all. */
const LIST_CAP = 1000;

export interface RefusedNumber {
  /** 1-based: the n-th number of the list as sent. */
  position: number;
  value: string;
  code: ErrorCode;
  detail: string;
}

/**
 * Parses a list of evidence numbers (either form) into compact numbers, each once, in order. A
 * mistyped or malformed number refuses the whole list, and the problem names every one of them
 * (position, value, reason) so a clerk fixes the list in one go. Its code is the first refusal's
 * (invalid_check_digit or invalid_evidence_number), as for a single number.
 */
export function parseEvidenceNos(texts: readonly string[]): string[] {
  const wanted: string[] = [];
  const seen = new Set<string>();
  const refused: RefusedNumber[] = [];
  texts.forEach((text, i) => {
    try {
      const no = parseEvidenceNo(text).compact;
      if (!seen.has(no)) {
        seen.add(no);
        wanted.push(no);
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refused.push({
        position: i + 1,
        value: String(err.extra.value ?? text),
        code: err.code,
        detail: err.message,
      });
    }
  });
  const first = refused[0];
  if (first) {
    const extra = { errors: refused.slice(0, LIST_CAP), total: refused.length };
    if (refused.length === 1) {
      const where = texts.length > 1 ? ` (no. ${first.position} of the ${texts.length} listed)` : '';
      throw new AppError(first.code, `${first.detail}${where}; nothing was printed`, extra);
    }
    const checkDigits = refused.filter((r) => r.code === 'invalid_check_digit').length;
    const malformed = refused.length - checkDigits;
    const what = [
      checkDigits ? `${checkDigits} with a wrong check digit` : '',
      malformed ? `${malformed} not evidence numbers` : '',
    ]
      .filter((s) => s)
      .join(' and ');
    throw new AppError(
      first.code,
      `${refused.length} of the ${texts.length} numbers listed are mistyped (${what}; first: no. ${first.position} "${first.value}"); nothing was printed — correct them and send the list again`,
      extra,
    );
  }
  return wanted;
}
