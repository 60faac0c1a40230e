import { defineRoute } from '../../http/route';
import {
  DocumentParams,
  DocumentSchema,
  UploadDocumentBody,
  UploadDocumentQuery,
} from './documents.contract';
import { DOCUMENT_MEDIA_TYPES } from './documents.enums';
import * as documents from './documents.service';

const tags = ['Documents'];

export const documentRoutes = [
  defineRoute({
    method: 'post',
    path: '/documents',
    permission: 'write',
    tags,
    summary: 'Attach a document',
    description:
      'A scanned court order, a destruction photo, a seal photo: the raw bytes as the body, with Content-Type ' +
      '`application/pdf`, `image/jpeg` or `image/png` (up to 20 MB). The type is checked from the bytes. The ' +
      'document is stored beside the database under its SHA-256, never overwritten, and recorded by a ' +
      '`document_added` event; events then cite it by that hash. The same bytes sent again answer 200 with ' +
      'the first record.',
    query: UploadDocumentQuery,
    body: UploadDocumentBody,
    bodyTypes: [...DOCUMENT_MEDIA_TYPES],
    bodyLimit: '20mb',
    response: {
      status: 201,
      description: 'The new document (200: it was already here)',
      schema: DocumentSchema,
    },
    errors: ['document_type_mismatch', 'payload_too_large', 'unsupported_media_type'],
    handler: async ({ app, req, res, query, body, user }) => {
      const stored = documents.acceptUpload(app.db.path, req.headers['content-type'] ?? '', body);
      const { created, document } = await app.ledger.write((tx) =>
        documents.addDocument(tx, { ...stored, kind: query.kind, title: query.title }, user.id),
      );
      res
        .status(created ? 201 : 200)
        .location(`/api/v1/documents/${document.sha256}`)
        .json(document);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/documents/:sha256',
    permission: 'read',
    tags,
    summary: 'Get a document',
    description:
      'The stored bytes, with their media type; checked against the hash before they are sent. ' +
      '`X-Document-Kind` and `X-Document-Added-Seq` say what it is and which event added it.',
    params: DocumentParams,
    response: {
      status: 200,
      description: 'The document’s bytes',
      contentType: 'application/octet-stream',
      headers: {
        ETag: 'The document’s SHA-256 in quotes, a strong tag: the bytes under a hash never change',
      },
    },
    errors: ['document_not_found', 'document_damaged'],
    handler: ({ app, params, res }) => {
      const { document, bytes } = documents.documentBytes(app.db, params.sha256);
      const ext =
        document.mediaType === 'application/pdf' ? 'pdf' : document.mediaType === 'image/png' ? 'png' : 'jpg';
      res
        .status(200)
        .type(document.mediaType)
        .set({
          ETag: `"${document.sha256}"`,
          'Cache-Control': 'private, max-age=31536000, immutable',
          'Content-Disposition': `inline; filename="${document.sha256}.${ext}"`,
          'X-Document-Kind': document.kind,
          'X-Document-Added-Seq': String(document.addedSeq),
        })
        .end(bytes);
    },
  }),
];
