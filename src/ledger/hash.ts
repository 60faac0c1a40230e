import { hash } from 'node:crypto';

export const ZERO_HASH = '0'.repeat(64);

// crypto.hash is the one-shot form (no Hash object per call): it runs for every append and verify.
export function sha256Hex(text: string | Uint8Array): string {
  return hash('sha256', text, 'hex');
}

export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer') as unknown as Buffer;
}
