import { parseEvidenceNo, parseLocationCode } from '../../lib/codes';
import { AppError, type ErrorCode } from '../../lib/errors';

/** The most refused entries one problem lists (a pasted list can hold 100,000); `total` counts all. */
const LIST_CAP = 1000;

export interface RefusedNumber {
  /** 1-based: the n-th entry of the list as sent. */
  position: number;
  value: string;
  code: ErrorCode;
  detail: string;
}

/** How a list's entries are named in its refusal. */
interface ListWords {
  /** "numbers", "location codes": what the list holds. */
  entries: string;
  /** "not an evidence number", "not evidence numbers": what a malformed entry is not (one, several). */
  malformed: [string, string];
}

const EVIDENCE_WORDS: ListWords = {
  entries: 'numbers',
  malformed: ['not an evidence number', 'not evidence numbers'],
};
const LOCATION_WORDS: ListWords = {
  entries: 'location codes',
  malformed: ['not a location code', 'not location codes'],
};

/** Parses each entry; keeps the compact forms once each, in order, with the position each first had. */
function parseEach(texts: readonly string[], parse: (text: string) => string) {
  const wanted: string[] = [];
  const positions = new Map<string, number>();
  const refused: RefusedNumber[] = [];
  texts.forEach((text, i) => {
    try {
      const code = parse(text);
      if (!positions.has(code)) {
        positions.set(code, i + 1);
        wanted.push(code);
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
  return { wanted, positions, refused };
}

/**
 * Refuses a list for its mistyped entries, naming every one (position, value, reason) so a clerk
 * fixes the list in one go. The problem's code is the first refusal's (invalid_check_digit,
 * invalid_evidence_number, invalid_location_code…), as for a single entry, unless `code` says.
 */
function refuseMistyped(
  refused: RefusedNumber[],
  listed: number,
  words: ListWords,
  extra: Record<string, unknown> = {},
  code: ErrorCode | undefined = refused[0]?.code,
): void {
  const first = refused[0];
  if (!first || !code) return;
  const body = { errors: refused.slice(0, LIST_CAP), total: refused.length, ...extra };
  if (refused.length === 1) {
    const where = listed > 1 ? ` (no. ${first.position} of the ${listed} listed)` : '';
    throw new AppError(code, `${first.detail}${where}; nothing was printed`, body);
  }
  const count = (code: ErrorCode) => refused.filter((r) => r.code === code).length;
  const checkDigits = count('invalid_check_digit');
  const unknown = count('location_not_found');
  const malformed = refused.length - checkDigits - unknown;
  const what = [
    checkDigits ? `${checkDigits} with a wrong check digit` : '',
    malformed ? `${malformed} ${words.malformed[malformed === 1 ? 0 : 1]}` : '',
    unknown ? `${unknown} not registered` : '',
  ]
    .filter((s) => s)
    .join(', ')
    .replace(/, ([^,]*)$/, ' and $1');
  const verb =
    unknown === 0
      ? 'are mistyped'
      : unknown === refused.length
        ? 'are not registered'
        : 'are mistyped or not registered';
  throw new AppError(
    code,
    `${refused.length} of the ${listed} ${words.entries} listed ${verb} (${what}; ${firstOf(refused, code)}); nothing was printed — correct them and send the list again`,
    body,
  );
}

/** The first refused entry; when the problem's code is not its own, also the first with that code. */
function firstOf(refused: RefusedNumber[], code: ErrorCode): string {
  const at = (r: RefusedNumber) => `no. ${r.position} "${r.value}"`;
  const first = refused[0] as RefusedNumber;
  const lead = refused.find((r) => r.code === code);
  return lead && lead !== first ? `first: ${at(first)}; first ${code}: ${at(lead)}` : `first: ${at(first)}`;
}

/**
 * Parses a list of evidence numbers (either form) into compact numbers, each once, in order. A
 * mistyped or malformed number refuses the whole list, and the problem names every one of them.
 */
export function parseEvidenceNos(texts: readonly string[]): string[] {
  const { wanted, refused } = parseEach(texts, (t) => parseEvidenceNo(t).compact);
  refuseMistyped(refused, texts.length, EVIDENCE_WORDS);
  return wanted;
}

/**
 * Parses a list of location codes (either form) and looks them up (`lookup` gives the found ones by
 * compact code): the locations, each once, in the list's order. Mistyped, malformed and unregistered codes refuse the whole list in one problem that names
 * every one of them: its code is the first mistyped entry's (400), or location_not_found (404) when
 * every bad entry is well-formed but not registered; `unknown` lists those codes.
 */
export function parseLocationCodes<T>(
  texts: readonly string[],
  lookup: (codes: string[]) => Map<string, T>,
): T[] {
  const { wanted, positions, refused } = parseEach(texts, (t) => parseLocationCode(t).compact);
  const found = lookup(wanted);
  const unknown = wanted.filter((code) => !found.has(code));
  if (refused.length === 0 && unknown.length === 0) return wanted.map((code) => found.get(code) as T);
  const all = [
    ...refused,
    ...unknown.map((code) => ({
      position: positions.get(code) ?? 0,
      value: code,
      code: 'location_not_found' as const,
      detail: `no location "${code}"`,
    })),
  ].sort((a, b) => a.position - b.position);
  // The problem's code: the first mistyped entry's; location_not_found only when all are well-formed.
  const code = refused[0]?.code ?? 'location_not_found';
  refuseMistyped(all, texts.length, LOCATION_WORDS, { unknown: unknown.slice(0, LIST_CAP) }, code);
  return [];
}
