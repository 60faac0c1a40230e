import { prepared } from '../../db/statements';
import type { Projector } from '../../ledger/types';

export const seizuresProjector: Projector = {
  name: 'seizures',
  tables: ['seizures'],
  types: ['seizure_recorded'],
  apply(db, event) {
    const d = event.data;
    prepared(
      db,
      `INSERT INTO seizures (id, case_id, farm_name, region, address, latitude, longitude, seized_at,
           seizing_officer, warrant_ref, legal_ground, outcome, estimated_load_kw, created_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      event.entityId,
      d.caseId as string,
      d.farmName as string,
      d.region as string,
      d.address as string,
      (d.latitude as number | undefined) ?? null,
      (d.longitude as number | undefined) ?? null,
      d.seizedAt as string,
      d.seizingOfficer as string,
      d.warrantRef as string,
      d.legalGround as string,
      d.outcome as string,
      (d.estimatedLoadKw as number | undefined) ?? null,
      event.seq,
    );
  },
};
