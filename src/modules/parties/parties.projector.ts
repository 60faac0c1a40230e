import { prepared } from '../../db/statements';
import type { Projector } from '../../ledger/types';

export const PARTY_EVENTS = ['party_registered'] as const;

export const partiesProjector: Projector = {
  name: 'parties',
  tables: ['parties'],
  types: PARTY_EVENTS,
  apply(db, event) {
    const d = event.data as { kind: string; name: string; contact?: string; reference?: string };
    prepared(
      db,
      'INSERT INTO parties (id, kind, name, contact, reference, created_seq) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(event.entityId, d.kind, d.name, d.contact ?? null, d.reference ?? null, event.seq);
  },
};
