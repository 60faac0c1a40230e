import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** An Ed25519 key that signs checkpoints. */
export interface Signer {
  publicKey: KeyObject;
  /** The 32 raw bytes of the public key. */
  publicKeyRaw: Buffer;
  publicKeyPem: string;
  sign(message: Buffer): Buffer;
}

export function signerFromPrivateKey(privateKey: KeyObject): Signer {
  const publicKey = createPublicKey(privateKey);
  return {
    publicKey,
    publicKeyRaw: rawPublicKey(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, message, privateKey),
  };
}

export function generateSigner(): Signer {
  return signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

/** Loads the PKCS#8 PEM key at `path`, creating it (mode 0600) on first start. */
export function loadOrCreateSigner(path: string): Signer {
  if (existsSync(path)) return signerFromPrivateKey(createPrivateKey(readFileSync(path)));
  mkdirSync(dirname(path), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return signerFromPrivateKey(privateKey);
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  // SPKI prefix for an Ed25519 key (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }.
  const prefix = Buffer.from('302a300506032b6570032100', 'hex');
  return createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' });
}

/** C2SP signed-note key ID: the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function noteKeyId(keyName: string, publicKeyRaw: Buffer): Buffer {
  return createHash('sha256')
    .update(keyName)
    .update(Buffer.from([0x0a, 0x01]))
    .update(publicKeyRaw)
    .digest()
    .subarray(0, 4);
}

export function verifySignature(publicKey: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
