import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../ledger/hash';

/**
 * The document store: a directory beside the database, `<db>.documents/`, one file per document
 * named by the SHA-256 of its bytes under a two-letter fan-out (`ab/ab12…`). A name is written once:
 * the bytes go to a temporary file, are flushed to disk, then hard-linked into place, which fails
 * rather than replaces when the name exists — so a stored document is never overwritten.
 */
export function documentsDirFor(dbPath: string): string {
  // An in-memory database (some tests) keeps its documents in a per-process directory.
  return dbPath === ':memory:'
    ? join(tmpdir(), `custody-memory-${process.pid}.documents`)
    : `${dbPath}.documents`;
}

export function documentPath(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256);
}

/** Stores the bytes under their hash unless already there; true when this call wrote them. */
export function storeDocument(dir: string, sha256: string, bytes: Buffer): boolean {
  const target = documentPath(dir, sha256);
  if (existsSync(target)) return false;
  const shard = join(dir, sha256.slice(0, 2));
  mkdirSync(shard, { recursive: true });
  const temp = join(shard, `.incoming-${randomUUID()}`);
  const fd = openSync(temp, 'wx', 0o640);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, target);
  } catch (err) {
    // Another request stored the same bytes a moment ago: same name, same content.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    rmSync(temp, { force: true });
  }
  syncDir(shard);
  return true;
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is already on disk.
  }
}

export type StoredState = 'ok' | 'missing' | 'damaged';

/** Reads a stored document and checks it still hashes to its name. */
export function readDocument(dir: string, sha256: string): { state: StoredState; bytes: Buffer | null } {
  const path = documentPath(dir, sha256);
  if (!existsSync(path)) return { state: 'missing', bytes: null };
  const bytes = readFileSync(path);
  return sha256Hex(bytes) === sha256 ? { state: 'ok', bytes } : { state: 'damaged', bytes: null };
}

/** Copies every stored document into `toDir` (a backup), by the same write-once rule. */
export function copyDocuments(fromDir: string, toDir: string): number {
  if (!existsSync(fromDir)) return 0;
  let n = 0;
  for (const shard of readdirSync(fromDir)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of readdirSync(join(fromDir, shard))) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      storeDocument(toDir, name, readFileSync(join(fromDir, shard, name)));
      n += 1;
    }
  }
  return n;
}
