import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { prepared } from '../db/statements';
import { parseEvidenceNo } from '../lib/codes';
import { AppError } from '../lib/errors';

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
const KEEP_MS = 24 * 3600_000;

interface Stored {
  method: string;
  path: string;
  status: number;
  content_type: string | null;
  body: string;
}

/**
 * Writes sent with `Idempotency-Key` happen once: a second request with the same key (a double
 * click, a retry after a lost answer) waits for the first and gets its answer again, marked
 * `Idempotent-Replayed: true`. Only successful answers are kept (a refusal wrote nothing, so a
 * retry may run again); they are kept for a day, per user.
 */
export function idempotency(ctx: AppContext): RequestHandler {
  const inFlight = new Map<string, Promise<void>>();
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined || req.method === 'GET' || req.method === 'HEAD' || !req.user) return next();
    if (!KEY.test(key))
      return next(new AppError('validation_failed', 'Idempotency-Key: 8–100 letters, digits, "-" or "_"'));
    const id = `${req.user.id}\u0000${key}`;
    const path = req.originalUrl.split('?')[0] ?? '';
    const pending = inFlight.get(id);
    if (pending) await pending;
    const stored = prepared(
      ctx.db,
      'SELECT method, path, status, content_type, body FROM idempotent_responses WHERE user_id = ? AND key = ?',
    ).get(req.user.id, key) as Stored | undefined;
    if (stored) {
      if (stored.method !== req.method || stored.path !== path)
        return next(
          new AppError('idempotency_key_reused', 'this Idempotency-Key was used for another request'),
        );
      res.setHeader('Idempotent-Replayed', 'true');
      if (stored.content_type) res.setHeader('Content-Type', stored.content_type);
      res.status(stored.status).send(stored.body);
      return;
    }
    let done!: () => void;
    inFlight.set(
      id,
      new Promise<void>((resolve) => {
        done = resolve;
      }),
    );
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const type = String(res.getHeader('content-type') ?? '');
      if (res.statusCode >= 200 && res.statusCode < 300 && (typeof body === 'string' || body === undefined)) {
        const now = ctx.clock();
        prepared(
          ctx.db,
          `INSERT OR IGNORE INTO idempotent_responses (user_id, key, method, path, status, content_type, body, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          req.user!.id,
          key,
          req.method,
          path,
          res.statusCode,
          type || null,
          body ?? '',
          now.toISOString(),
        );
        prepared(ctx.db, 'DELETE FROM idempotent_responses WHERE created_at < ?').run(
          new Date(now.getTime() - KEEP_MS).toISOString(),
        );
      }
      return send(body);
    };
    const finish = () => {
      if (inFlight.get(id)) {
        inFlight.delete(id);
        done();
      }
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  };
}

/**
 * `If-Match: "<lastSeq>"` on an item's event: refused with 412 item_changed when the item has had
 * an event since the page that sends it was drawn (a second tab, a colleague's scan).
 */
export function itemPrecondition(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const given = req.get('if-match');
    if (!given) return next();
    const seq = Number(/^(?:W\/)?"?(\d+)"?$/.exec(given.trim())?.[1]);
    let compact: string;
    try {
      compact = parseEvidenceNo(String(req.params.evidenceNo)).compact;
    } catch {
      return next();
    }
    const row = prepared(
      ctx.db,
      'SELECT last_seq, status, location_code FROM items WHERE evidence_no = ?',
    ).get(compact) as { last_seq: number; status: string; location_code: string | null } | undefined;
    if (row && row.last_seq !== seq)
      return next(
        new AppError(
          'item_changed',
          'the item has changed since this page was loaded; reload it and try again',
          {
            lastSeq: row.last_seq,
            status: row.status,
            locationCode: row.location_code,
          },
        ),
      );
    next();
  };
}
