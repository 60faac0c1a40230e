import type { AppContext } from '../../context';
import type { Checkpoint } from '../../ledger/checkpoint';
import type { AuthUser } from '../users/users.service';
import { type Requester, recordReport, sealPayload } from './fingerprint';
import type { ReportHead } from './item.payload';
import { itemReportPayload } from './item.payload';
import { type Evidence, itemReportSpec } from './item.render';
import { type PdfSpec, renderPdf } from './pdf/stream';
import { proofsFor } from './proofs';

export const requesterOf = (user: AuthUser): Requester => ({
  id: user.id,
  name: user.displayName,
  role: user.role,
});

/** The evidence an item report carries for the events it shows. */
export function evidenceFor(
  app: AppContext,
  cp: Checkpoint,
  canonical: string,
  fingerprint: string,
  seqs: number[],
): Evidence {
  return {
    canonicalPayload: canonical,
    fingerprint,
    checkpointNote: cp.note,
    publicKeyPem: app.ledger.signer.publicKeyPem,
    proofs: proofsFor(app.db, seqs, cp),
  };
}

/**
 * Seals a report's payload (fingerprint), draws its PDF with the evidence for the events it shows,
 * and records that it was made (`report_made`, the requester as actor). Every PDF report goes this way.
 */
export async function makeReport<P extends ReportHead>(
  app: AppContext,
  made: { payload: P; checkpoint: Checkpoint },
  seqs: number[],
  specOf: (payload: P, evidence: Evidence) => Promise<PdfSpec>,
) {
  const { payload, checkpoint } = made;
  const { canonical, fingerprint } = sealPayload(payload);
  const pdf = await renderPdf(
    await specOf(payload, evidenceFor(app, checkpoint, canonical, fingerprint, seqs)),
  );
  await recordReport(
    app.ledger,
    {
      kind: payload.kind,
      parameters: payload.parameters,
      fingerprint,
      checkpoint,
      requestedBy: payload.requestedBy,
    },
    canonical,
  );
  return { pdf, fingerprint, payload, checkpoint };
}

/** Makes an item's chain-of-custody report, records that it was made, and returns the PDF. */
export async function makeItemReport(
  app: AppContext,
  evidenceNo: string,
  user: AuthUser,
  serviceUrl: string,
  checkpoint?: number,
) {
  const made = itemReportPayload(app.ledger, evidenceNo, requesterOf(user), serviceUrl, checkpoint);
  const seqs = [
    ...made.payload.section.events.map((e) => e.seq),
    ...made.payload.sources.map((e) => e.seq),
  ].sort((a, b) => a - b);
  return makeReport(app, made, seqs, itemReportSpec);
}
