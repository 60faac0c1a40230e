// Every drizzle table, re-exported for drizzle-kit and for typed queries.
export * from '../ledger/ledger.schema';
export * from '../modules/audits/audits.schema';
export * from '../modules/cases/cases.schema';
export * from '../modules/disposal/disposal.schema';
export * from '../modules/documents/documents.schema';
export * from '../modules/items/items.schema';
export * from '../modules/labels/labels.schema';
export * from '../modules/locations/locations.schema';
export * from '../modules/parties/parties.schema';
export * from '../modules/reports/reports.schema';
export * from '../modules/seizures/seizures.schema';
export * from '../modules/users/passwords.schema';
export * from '../modules/users/users.schema';
export * from '../web/web.schema';
