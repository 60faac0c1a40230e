import type { LedgerCheck } from '../ledger/verify';
import { checkDocuments } from './documents/documents.check';

/** What `verify` checks beside the chain and the projections: files the events cite. */
export const ledgerChecks: readonly LedgerCheck[] = [checkDocuments];
