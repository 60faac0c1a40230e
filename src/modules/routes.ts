import type { AnyRoute } from '../http/route';
import { caseRoutes } from './cases/cases.routes';
import { ledgerRoutes } from './ledger/ledger.routes';
import { userRoutes } from './users/users.routes';

/** Every API route, under /api/v1. The OpenAPI document and the role matrix test read this list. */
export const routes: readonly AnyRoute[] = [...ledgerRoutes, ...userRoutes, ...caseRoutes];
