import { createHash } from 'node:crypto';

export const ZERO_HASH = '0'.repeat(64);

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
