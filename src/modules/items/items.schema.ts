import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { cases } from '../cases/cases.schema';
import { seizures } from '../seizures/seizures.schema';
import { ITEM_CATEGORIES, ITEM_STATUSES } from './items.enums';

/**
 * Projection of item events: one row per item (or counted lot), keyed by its evidence number in
 * the compact barcode form (EV2600671238). The custody columns are kept by the custody projector.
 */
export const items = sqliteTable(
  'items',
  {
    evidenceNo: text('evidence_no').primaryKey(),
    year: integer('year').notNull(),
    serial: integer('serial').notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    seizureId: text('seizure_id')
      .notNull()
      .references(() => seizures.id),
    category: text('category', { enum: ITEM_CATEGORIES }).notNull(),
    make: text('make'),
    model: text('model'),
    serialNumber: text('serial_number'),
    quantity: integer('quantity').notNull().default(1),
    unit: text('unit').notNull().default('pcs'),
    hashrateThs: real('hashrate_ths'),
    powerW: real('power_w'),
    sealNo: text('seal_no'),
    condition: text('condition'),
    description: text('description'),
    parentEvidenceNo: text('parent_evidence_no'),
    // Custody state (custody projector)
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('registered'),
    locationCode: text('location_code'),
    custodianUserId: text('custodian_user_id'),
    holderPartyId: text('holder_party_id'),
    checkoutPurpose: text('checkout_purpose'),
    dueAt: text('due_at'),
    // Latest valuation (custody projector, `valued` events)
    valueMinor: integer('value_minor'),
    valueCurrency: text('value_currency'),
    valueAsOf: text('value_as_of'),
    registeredSeq: integer('registered_seq').notNull().unique(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [
    index('items_case').on(t.caseId, t.registeredSeq),
    index('items_seizure').on(t.seizureId, t.registeredSeq),
    index('items_serial_number').on(t.serialNumber),
    index('items_status').on(t.status, t.registeredSeq),
    // Partial: these columns are empty at registration, so an intake adds nothing to them.
    index('items_location').on(t.locationCode, t.registeredSeq).where(sql`${t.locationCode} IS NOT NULL`),
    index('items_custodian').on(t.custodianUserId).where(sql`${t.custodianUserId} IS NOT NULL`),
    index('items_holder').on(t.holderPartyId).where(sql`${t.holderPartyId} IS NOT NULL`),
    index('items_category').on(t.category, t.registeredSeq),
    index('items_due').on(t.dueAt).where(sql`${t.dueAt} IS NOT NULL`),
  ],
);

/** The last evidence serial handed out per year: allocation is gap-free within the append's transaction. */
export const evidenceCounters = sqliteTable('evidence_counters', {
  year: integer('year').primaryKey(),
  lastSerial: integer('last_serial').notNull(),
});
