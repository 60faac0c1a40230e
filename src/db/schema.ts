// Every drizzle table, re-exported for drizzle-kit and for typed queries.
export * from '../ledger/ledger.schema';
export * from '../modules/cases/cases.schema';
export * from '../modules/users/users.schema';
