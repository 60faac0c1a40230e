import type { AppContext } from '../../context';
import { makeReport, requesterOf } from '../reports/reports.service';
import type { AuthUser } from '../users/users.service';
import { certificatePayload } from './certificate.payload';
import { certificateSpec } from './certificate.render';

/**
 * Makes a completed disposal's certificate on the shared report layer (payload → fingerprint → PDF/A-3
 * carrying its payload, checkpoint and key), and records that it was made (`report_made`).
 */
export async function makeCertificate(
  app: AppContext,
  disposalId: string,
  user: AuthUser,
  serviceUrl: string,
  checkpoint?: number,
) {
  const made = certificatePayload(app.ledger, disposalId, requesterOf(user), serviceUrl, checkpoint);
  return makeReport(app, made, made.payload.seqs, certificateSpec);
}
