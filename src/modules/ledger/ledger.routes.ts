import { once } from 'node:events';
import type { Response } from 'express';
import type { Db } from '../../db/open';
import { prepared } from '../../db/statements';
import { defineRoute, SENT_WHOLE } from '../../http/route';
import { eventRowPages, exportLineOf } from '../../ledger/events-read';
import type { Ledger } from '../../ledger/ledger';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { z } from '../../lib/zod';
import { VERSION } from '../../version';
import {
  CheckpointListQuery,
  CheckpointListSchema,
  HealthSchema,
  VerifyQuery,
  VerifyResultSchema,
} from './ledger.contract';
import { verifyOffThread } from './verify.run';

const tags = ['Ledger'];

export function headOf(ledger: Ledger) {
  return {
    ledgerId: ledger.ledgerId,
    seq: ledger.headSeq,
    headHash: ledger.headHash,
    rootHash: ledger.rootHash,
  };
}

/** Streams the ledger as NDJSON up to `toSeq`, yielding to the event loop between pages. */
export async function streamExport(db: Db, toSeq: number, out: NodeJS.WritableStream): Promise<void> {
  for (const page of eventRowPages(db, toSeq)) {
    let chunk = '';
    for (const row of page) chunk += `${exportLineOf(row)}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
    else await new Promise((r) => setImmediate(r));
  }
}

async function sendExport(db: Db, ledger: Ledger, res: Response) {
  const cp = ledger.checkpoint();
  res.status(200);
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="ledger-${ledger.ledgerId}-${cp.treeSize}.ndjson"`,
  );
  res.setHeader('X-Ledger-Tree-Size', String(cp.treeSize));
  res.setHeader('X-Ledger-Root-Hash', cp.rootHash);
  res.setHeader('X-Ledger-Head-Hash', cp.headHash);
  await streamExport(db, cp.treeSize, res);
  res.end();
}

export const ledgerRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    permission: 'public',
    tags,
    summary: 'Health and the ledger head',
    response: { status: 200, description: 'The service is up', schema: HealthSchema },
    handler: ({ app }) => ({ status: 'ok' as const, version: VERSION, ledger: headOf(app.ledger) }),
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/public-key',
    permission: 'public',
    tags,
    summary: 'The checkpoint public key',
    description: 'Ed25519, as a PEM SubjectPublicKeyInfo. The same key is named in the ledger’s first event.',
    response: {
      status: 200,
      description: 'PEM',
      contentType: 'application/x-pem-file',
      schema: z.string(),
      headers: SENT_WHOLE,
    },
    handler: ({ app, res }) => {
      res.status(200).type('application/x-pem-file').send(app.ledger.signer.publicKeyPem);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/checkpoints',
    permission: 'ledger',
    tags,
    summary: 'List signed checkpoints',
    description: 'Newest first. The first page always begins with a checkpoint of the current head.',
    query: CheckpointListQuery,
    response: { status: 200, description: 'A page of checkpoints', schema: CheckpointListSchema },
    handler: ({ app, query }) => {
      if (!query.cursor) app.ledger.checkpoint();
      const before = query.cursor
        ? decodeCursor<{ t: number }>(query.cursor, ['t']).t
        : Number.MAX_SAFE_INTEGER;
      const rows = prepared(
        app.db,
        `SELECT tree_size AS treeSize, root_hash AS rootHash, head_hash AS headHash, signed_at AS signedAt, note
           FROM checkpoints WHERE tree_size < ? ORDER BY tree_size DESC LIMIT ?`,
      ).all(before, query.limit + 1) as { treeSize: number }[];
      const more = rows.length > query.limit;
      const items = (more ? rows.slice(0, query.limit) : rows).map((r) => ({
        origin: app.ledger.origin,
        ...r,
      }));
      const last = items[items.length - 1];
      return { items, nextCursor: more && last ? encodeCursor({ t: last.treeSize }) : null };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/verify',
    permission: 'ledger',
    tags,
    summary: 'Verify the whole ledger',
    description:
      'Rehashes every event and link, checks every signed checkpoint (database and checkpoint file), and rebuilds the projections to compare.',
    query: VerifyQuery,
    response: {
      status: 200,
      description: 'The verification result (ok: false names the first bad seq)',
      schema: VerifyResultSchema,
    },
    handler: ({ app, query }) => verifyOffThread(app.db, query.full),
  }),
  defineRoute({
    method: 'get',
    path: '/ledger/export',
    permission: 'ledger',
    tags,
    summary: 'Export the ledger as NDJSON',
    description:
      'One event per line (docs/ledger-format.md), streamed, up to a checkpoint signed for this export: its size, root and head are in the X-Ledger-* headers.',
    response: { status: 200, description: 'NDJSON', contentType: 'application/x-ndjson', schema: z.string() },
    handler: ({ app, res }) => sendExport(app.db, app.ledger, res),
  }),
];
