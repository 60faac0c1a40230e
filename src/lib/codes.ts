import { dammDigit } from './damm';
import { AppError } from './errors';

/**
 * Evidence numbers and location codes (DESIGN.md): `EV` + 2-digit year + 7-digit serial + Damm digit
 * over the nine digits (compact `EV2600671238`, printed `EV-26-0067123-8`); `LC` + 7-digit serial +
 * Damm digit over the seven (`LC00012340`, printed `LC-0001234-0`). Parsers accept either form, any
 * case, surrounding whitespace.
 */
export interface EvidenceNo {
  compact: string;
  printed: string;
  /** Two-digit year, 0-99 (26 = 2026). */
  year: number;
  serial: number;
}

export interface LocationCode {
  compact: string;
  printed: string;
  serial: number;
}

export const SERIAL_MAX = 9_999_999;

const EV_RE = /^EV-?(\d{2})-?(\d{7})-?(\d)$/;
const LC_RE = /^LC-?(\d{7})-?(\d)$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function checkSerial(serial: number): void {
  if (!Number.isInteger(serial) || serial < 0 || serial > SERIAL_MAX) {
    throw new RangeError(`serial out of range: ${serial}`);
  }
}

/** Builds the evidence number for a two-digit year (or a full year such as 2026) and a serial. */
export function formatEvidenceNo(year: number, serial: number): EvidenceNo {
  checkSerial(serial);
  const yy = year % 100;
  if (!Number.isInteger(year) || year < 0) throw new RangeError(`year out of range: ${year}`);
  const body = `${pad(yy, 2)}${pad(serial, 7)}`;
  const check = dammDigit(body);
  return {
    compact: `EV${body}${check}`,
    printed: `EV-${pad(yy, 2)}-${pad(serial, 7)}-${check}`,
    year: yy,
    serial,
  };
}

/** Parses either form; throws invalid_evidence_number (malformed) or invalid_check_digit. */
export function parseEvidenceNo(text: string): EvidenceNo {
  const m = EV_RE.exec(text.trim().toUpperCase());
  if (!m) {
    throw new AppError(
      'invalid_evidence_number',
      `"${clip(text)}" is not an evidence number (expected EV2600671238 or EV-26-0067123-8)`,
      { value: clip(text) },
    );
  }
  const [, yy, serial, check] = m as unknown as [string, string, string, string];
  const expected = dammDigit(`${yy}${serial}`);
  if (Number(check) !== expected) {
    throw new AppError(
      'invalid_check_digit',
      `the check digit of evidence number "${clip(text)}" is wrong — the number was probably mistyped`,
      { value: clip(text) },
    );
  }
  return formatEvidenceNo(Number(yy), Number(serial));
}

export function formatLocationCode(serial: number): LocationCode {
  checkSerial(serial);
  const body = pad(serial, 7);
  const check = dammDigit(body);
  return { compact: `LC${body}${check}`, printed: `LC-${body}-${check}`, serial };
}

/** Parses either form; throws invalid_location_code (malformed) or invalid_check_digit. */
export function parseLocationCode(text: string): LocationCode {
  const m = LC_RE.exec(text.trim().toUpperCase());
  if (!m) {
    throw new AppError(
      'invalid_location_code',
      `"${clip(text)}" is not a location code (expected LC00012340 or LC-0001234-0)`,
      { value: clip(text) },
    );
  }
  const [, serial, check] = m as unknown as [string, string, string];
  if (Number(check) !== dammDigit(serial)) {
    throw new AppError(
      'invalid_check_digit',
      `the check digit of location code "${clip(text)}" is wrong — the code was probably mistyped`,
      { value: clip(text) },
    );
  }
  return formatLocationCode(Number(serial));
}

/** Keeps echoed input short in error messages. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
