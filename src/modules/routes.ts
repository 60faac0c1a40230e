import type { AnyRoute } from '../http/route';
import { auditRoutes } from './audits/audits.routes';
import { caseRoutes } from './cases/cases.routes';
import { custodyRoutes } from './custody/custody.routes';
import { disposalRoutes } from './disposal/disposal.routes';
import { documentRoutes } from './documents/documents.routes';
import { itemRoutes } from './items/items.routes';
import { labelRoutes } from './labels/labels.routes';
import { ledgerRoutes } from './ledger/ledger.routes';
import { proofRoutes } from './ledger/proofs.routes';
import { locationRoutes } from './locations/locations.routes';
import { partyRoutes } from './parties/parties.routes';
import { reportRoutes } from './reports/reports.routes';
import { seizureRoutes } from './seizures/seizures.routes';
import { passwordRoutes } from './users/passwords.routes';
import { userRoutes } from './users/users.routes';

/** Every API route, under /api/v1. The OpenAPI document and the role matrix test read this list. */
export const routes: readonly AnyRoute[] = [
  ...ledgerRoutes,
  ...passwordRoutes, // before userRoutes: /users/me/password is not a userId
  ...proofRoutes,
  ...userRoutes,
  ...caseRoutes,
  ...locationRoutes,
  ...partyRoutes,
  ...seizureRoutes,
  ...itemRoutes,
  ...labelRoutes,
  ...custodyRoutes,
  ...documentRoutes,
  ...reportRoutes,
  ...disposalRoutes,
  ...auditRoutes,
];
