import { z } from '../../lib/zod';
import { DOCUMENT_KINDS, DOCUMENT_MEDIA_TYPES } from './documents.enums';

/** A document's name: the lowercase hex SHA-256 of its bytes (upper case is accepted and folded). */
export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex: 64 characters 0-9, a-f')
  .transform((s) => s.toLowerCase())
  .openapi({
    description: 'SHA-256 of the document’s bytes, hex',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  });

/** Documents an event cites, by hash; each must have been uploaded first (POST /documents). */
export const DocumentRefs = z
  .array(Sha256Schema)
  .min(1)
  .max(50)
  .openapi({ description: 'Attached documents (POST /documents), by SHA-256' });

export const DocumentParams = z.object({ sha256: Sha256Schema });

export const UploadDocumentQuery = z.object({
  kind: z.enum(DOCUMENT_KINDS).default('other'),
  title: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .openapi({ example: 'Постановление суда № 2-1187/2026' }),
});

/** The raw bytes; the route checks them against the declared Content-Type. */
export const UploadDocumentBody = z
  .custom<Buffer>((v) => Buffer.isBuffer(v))
  .openapi({
    type: 'string',
    format: 'binary',
    description: 'The file itself: a PDF, JPEG or PNG, up to 20 MB',
  });

export const DocumentSchema = z
  .object({
    sha256: z.string(),
    mediaType: z.enum(DOCUMENT_MEDIA_TYPES),
    size: z.number().int(),
    kind: z.enum(DOCUMENT_KINDS),
    title: z.string().nullable(),
    addedBy: z.string().openapi({ description: 'User id' }),
    addedAt: z.string(),
    addedSeq: z.number().int().openapi({ description: 'The seq of its document_added event' }),
  })
  .openapi('Document');
