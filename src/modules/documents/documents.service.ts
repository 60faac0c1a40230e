import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { sha256Hex } from '../../ledger/hash';
import type { Actor, Tx } from '../../ledger/types';
import { AppError } from '../../lib/errors';
import type { DocumentKind, DocumentMediaType } from './documents.enums';
import { sniffMediaType } from './documents.sniff';
import { documentsDirFor, readDocument, storeDocument } from './documents.store';

export interface DocumentView {
  sha256: string;
  mediaType: DocumentMediaType;
  size: number;
  kind: DocumentKind;
  title: string | null;
  addedBy: string;
  addedAt: string;
  addedSeq: number;
}

const SELECT = `SELECT sha256, media_type AS mediaType, size, kind, title, added_by AS addedBy,
  added_at AS addedAt, added_seq AS addedSeq FROM documents`;

export function findDocument(db: Db, sha256: string): DocumentView | null {
  return (prepared(db, `${SELECT} WHERE sha256 = ?`).get(sha256) as DocumentView | undefined) ?? null;
}

export function getDocument(db: Db, sha256: string): DocumentView {
  const doc = findDocument(db, sha256);
  if (!doc) throw new AppError('document_not_found', `no document ${sha256}`, { sha256 });
  return doc;
}

/**
 * What an event may cite: documents already added. Other modules call this before they record a
 * `documents` member; 404 document_not_found lists every unknown hash.
 */
export function requireDocuments(db: Db, hashes: readonly string[] | undefined): string[] {
  if (!hashes || hashes.length === 0) return [];
  const unique = [...new Set(hashes)];
  const unknown = unique.filter((h) => findDocument(db, h) === null);
  if (unknown.length > 0) {
    throw new AppError(
      'document_not_found',
      `${unknown.length === 1 ? 'document' : 'documents'} ${unknown.join(', ')} not uploaded (POST /documents first)`,
      { sha256: unknown },
    );
  }
  return unique;
}

const TYPE_NAMES: Record<DocumentMediaType, string> = {
  'application/pdf': 'a PDF',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
};

/**
 * Checks the bytes against the declared type (415 for a type we do not keep, 400
 * document_type_mismatch when the bytes are something else) and stores them under their hash.
 * Runs before the ledger write: an event never cites bytes that are not on disk.
 */
export function acceptUpload(dbPath: string, declared: string, bytes: Buffer) {
  const type = declared.split(';')[0]!.trim().toLowerCase() as DocumentMediaType;
  if (!(type in TYPE_NAMES)) {
    throw new AppError(
      'unsupported_media_type',
      'send a PDF, JPEG or PNG as application/pdf, image/jpeg or image/png',
    );
  }
  const actual = sniffMediaType(bytes);
  if (actual !== type) {
    throw new AppError(
      'document_type_mismatch',
      actual
        ? `the bytes are ${TYPE_NAMES[actual]}, not ${TYPE_NAMES[type]} as declared`
        : `the bytes are not ${TYPE_NAMES[type]} (nor a whole PDF, JPEG or PNG)`,
      { declared: type, detected: actual },
    );
  }
  const sha256 = sha256Hex(bytes);
  storeDocument(documentsDirFor(dbPath), sha256, bytes);
  return { sha256, mediaType: type, size: bytes.length };
}

/** Records the stored document (once: the same bytes uploaded again answer the first record). */
export function addDocument(
  tx: Tx,
  input: {
    sha256: string;
    mediaType: DocumentMediaType;
    size: number;
    kind: DocumentKind;
    title?: string | undefined;
  },
  actor: Actor,
): { created: boolean; document: DocumentView } {
  const existing = findDocument(tx.db, input.sha256);
  if (existing) return { created: false, document: existing };
  const { title, ...rest } = input;
  tx.append({
    type: 'document_added',
    entityType: 'document',
    entityId: input.sha256,
    actor,
    data: title === undefined ? rest : { ...rest, title },
  });
  return { created: true, document: getDocument(tx.db, input.sha256) };
}

/** The stored bytes of a known document; 500 document_damaged if they no longer hash right. */
export function documentBytes(db: Db, sha256: string): { document: DocumentView; bytes: Buffer } {
  const document = getDocument(db, sha256);
  const stored = readDocument(documentsDirFor(db.path), sha256);
  if (!stored.bytes) {
    throw new AppError(
      'document_damaged',
      `document ${sha256} is ${stored.state} in the store; restore it from a backup`,
      {
        sha256,
        state: stored.state,
      },
    );
  }
  return { document, bytes: stored.bytes };
}

/**
 * The attached documents up to `treeSize`, one `sha256sum` line each (`<hash>  <ab>/<hash>`), so
 * `sha256sum -c` run in the documents directory (or a copy) checks them. Written beside an export.
 */
export function documentManifest(db: Db, treeSize: number): string {
  const rows = prepared(db, 'SELECT sha256 FROM documents WHERE added_seq <= ? ORDER BY added_seq').all(
    treeSize,
  ) as { sha256: string }[];
  return rows.map((r) => `${r.sha256}  ${r.sha256.slice(0, 2)}/${r.sha256}\n`).join('');
}
