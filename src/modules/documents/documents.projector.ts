import { prepared } from '../../db/statements';
import type { Projector } from '../../ledger/types';

export const DOCUMENT_EVENTS = ['document_added'] as const;

export const documentsProjector: Projector = {
  name: 'documents',
  tables: ['documents'],
  types: DOCUMENT_EVENTS,
  apply(db, event) {
    const d = event.data as { sha256: string; mediaType: string; size: number; kind: string; title?: string };
    prepared(
      db,
      `INSERT INTO documents (sha256, media_type, size, kind, title, added_by, added_at, added_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(d.sha256, d.mediaType, d.size, d.kind, d.title ?? null, event.actor, event.recordedAt, event.seq);
  },
};
