import type { AppContext } from '../../context';
import type { Checkpoint } from '../../ledger/checkpoint';
import type { AuthUser } from '../users/users.service';
import { type Requester, recordReport, sealPayload } from './fingerprint';
import { itemReportPayload } from './item.payload';
import { type Evidence, itemReportSpec } from './item.render';
import { renderPdf } from './pdf/stream';
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

/** Makes an item's chain-of-custody report, records that it was made, and returns the PDF. */
export async function makeItemReport(
  app: AppContext,
  evidenceNo: string,
  user: AuthUser,
  serviceUrl: string,
  checkpoint?: number,
) {
  const { payload, checkpoint: cp } = itemReportPayload(
    app.ledger,
    evidenceNo,
    requesterOf(user),
    serviceUrl,
    checkpoint,
  );
  const { canonical, fingerprint } = sealPayload(payload);
  const evidence = evidenceFor(
    app,
    cp,
    canonical,
    fingerprint,
    payload.section.events.map((e) => e.seq),
  );
  const pdf = await renderPdf(await itemReportSpec(payload, evidence));
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
