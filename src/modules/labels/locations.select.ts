import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { formatLocationCode } from '../../lib/codes';
import { AppError } from '../../lib/errors';
import { getLocation } from '../locations/locations.service';
import { parseLocationCodes } from './labels.numbers';
import type { LocationLabel } from './locations.layout';

interface Row {
  code: string;
  serial: number;
  kind: string;
  path: string;
}

const toLabel = (r: Row): LocationLabel => ({
  code: r.code,
  printed: formatLocationCode(r.serial).printed,
  kind: r.kind,
  path: r.path,
});

const SELECT = 'SELECT l.code, l.serial, l.kind, l.path FROM locations l';

/** The locations of these codes, by code (those that exist). */
function byCode(db: Db, codes: string[]): Map<string, Row> {
  const rows = prepared(db, `${SELECT} WHERE l.code IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(codes),
  ) as Row[];
  return new Map(rows.map((r) => [r.code, r]));
}

/** The locations to label: a list of codes (each must exist), or a location and everything inside it. */
export function resolveLocations(
  db: Db,
  q: { codes?: string | undefined; under?: string | undefined },
): LocationLabel[] {
  if (q.codes !== undefined && q.under !== undefined)
    throw new AppError('validation_failed', 'give codes= or under=, not both', {
      errors: [{ in: 'query', path: 'under', message: 'only one selection at a time' }],
    });
  if (q.codes !== undefined) {
    const texts = q.codes.split(/[\s,;]+/).filter((s) => s !== '');
    if (texts.length === 0) throw new AppError('empty_selection', 'codes= lists no location codes');
    return parseLocationCodes(texts, (codes) => byCode(db, codes)).map(toLabel);
  }
  if (q.under === undefined) throw new AppError('empty_selection', 'say what to print: codes= or under=');
  const root = getLocation(db, q.under);
  const rows = prepared(
    db,
    `WITH RECURSIVE sub(code) AS (SELECT ? UNION ALL
       SELECT l.code FROM locations l JOIN sub ON l.parent_code = sub.code)
     ${SELECT} JOIN sub ON sub.code = l.code ORDER BY l.path`,
  ).all(root.code) as Row[];
  return rows.map(toLabel);
}
