import type { AppContext } from '../../context';
import { recordReport, sealPayload } from '../reports/fingerprint';
import { renderPdf } from '../reports/pdf/stream';
import { evidenceFor, requesterOf } from '../reports/reports.service';
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
  const { payload, checkpoint: cp } = certificatePayload(
    app.ledger,
    disposalId,
    requesterOf(user),
    serviceUrl,
    checkpoint,
  );
  const { canonical, fingerprint } = sealPayload(payload);
  const evidence = evidenceFor(app, cp, canonical, fingerprint, payload.seqs);
  const pdf = await renderPdf(await certificateSpec(payload, evidence));
  await recordReport(
    app.ledger,
    {
      kind: payload.kind,
      parameters: payload.parameters,
      fingerprint,
      checkpoint: cp,
      requestedBy: payload.requestedBy,
    },
    canonical,
  );
  return { pdf, fingerprint, payload, checkpoint: cp };
}
