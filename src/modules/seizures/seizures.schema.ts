import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { cases } from '../cases/cases.schema';
import { LEGAL_GROUNDS, SITE_OUTCOMES } from './seizures.enums';

/** Projection of seizure_recorded events: one raid at one site, within a case. */
export const seizures = sqliteTable(
  'seizures',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    farmName: text('farm_name').notNull(),
    region: text('region').notNull(),
    address: text('address').notNull(),
    latitude: real('latitude'),
    longitude: real('longitude'),
    seizedAt: text('seized_at').notNull(),
    seizingOfficer: text('seizing_officer').notNull(),
    warrantRef: text('warrant_ref').notNull(),
    legalGround: text('legal_ground', { enum: LEGAL_GROUNDS }).notNull(),
    outcome: text('outcome', { enum: SITE_OUTCOMES }).notNull(),
    estimatedLoadKw: real('estimated_load_kw'),
    createdSeq: integer('created_seq').notNull().unique(),
  },
  (t) => [index('seizures_case').on(t.caseId, t.createdSeq)],
);
