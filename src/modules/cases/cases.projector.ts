import { prepared } from '../../db/statements';
import type { Projector } from '../../ledger/types';

export const casesProjector: Projector = {
  name: 'cases',
  tables: ['cases'],
  types: ['case_opened', 'case_status_changed'],
  apply(db, event) {
    const d = event.data;
    if (event.type === 'case_opened') {
      prepared(
        db,
        `INSERT INTO cases (id, number, title, legal_basis, agency, opened_on, status, created_seq, updated_seq)
           VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      ).run(
        event.entityId,
        d.number as string,
        d.title as string,
        d.legalBasis as string,
        d.agency as string,
        d.openedOn as string,
        event.seq,
        event.seq,
      );
    } else {
      prepared(db, 'UPDATE cases SET status = ?, updated_seq = ? WHERE id = ?').run(
        d.status as string,
        event.seq,
        event.entityId,
      );
    }
  },
};
