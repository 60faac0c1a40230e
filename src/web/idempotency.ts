import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context';
import { prepared } from '../db/statements';
import { parseEvidenceNo } from '../lib/codes';
import { AppError } from '../lib/errors';

/** An Idempotency-Key as accepted (the OpenAPI document gives the same pattern). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;
const KEEP_MS = 24 * 3600_000;
/** A replay reads at most this much of its body to compare it (above every route's body limit). */
const MAX_BODY = 64 * 1024 * 1024;

interface Stored {
  method: string;
  path: string;
  body_hash: string | null;
  status: number;
  content_type: string | null;
  body: string;
}

/**
 * Writes sent with `Idempotency-Key` happen once: a second request with the same key (a double
 * click, a retry after a lost answer) waits for the first and gets its answer again, marked
 * `Idempotent-Replayed: true`. The key is bound to the user, method, path and a hash of the body:
 * the same key with anything else is refused (422 idempotency_key_reused), never answered as if it
 * had been done. Only successful answers are kept (a refusal wrote nothing, so a retry may run
 * again); they are kept for a day. Requests without the header pay nothing for this.
 */
export function idempotency(ctx: AppContext): RequestHandler {
  const inFlight = new Map<string, Promise<void>>();
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined || req.method === 'GET' || req.method === 'HEAD' || !req.user) return next();
    if (!IDEMPOTENCY_KEY.test(key))
      return next(new AppError('validation_failed', 'Idempotency-Key: 8–100 letters, digits, "-" or "_"'));
    const id = `${req.user.id}\u0000${key}`;
    const path = req.originalUrl.split('?')[0] ?? '';
    const bodyTap = tapBody(req);
    const pending = inFlight.get(id);
    if (pending) await pending;
    const stored = prepared(
      ctx.db,
      'SELECT method, path, body_hash, status, content_type, body FROM idempotent_responses WHERE user_id = ? AND key = ?',
    ).get(req.user.id, key) as Stored | undefined;
    if (stored) {
      if (stored.method !== req.method || stored.path !== path)
        return next(
          new AppError('idempotency_key_reused', 'this Idempotency-Key was used for another request'),
        );
      // A null hash: the first request's route read no body, so no body can make this one differ.
      if (stored.body_hash !== null && (await bodyTap.readAll()) !== stored.body_hash)
        return next(
          new AppError(
            'idempotency_key_reused',
            'this Idempotency-Key was used with another body; send a new key for a new write',
          ),
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
          `INSERT OR IGNORE INTO idempotent_responses (user_id, key, method, path, body_hash, status, content_type, body, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          req.user!.id,
          key,
          req.method,
          path,
          bodyTap.digest(),
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

interface BodyTap {
  /** The hash of the body as far as its route read it: null when it was not read to its end. */
  digest(): string | null;
  /** Reads the rest of the body (a replay answers without its route) and returns its hash. */
  readAll(): Promise<string | null>;
}

/**
 * Hashes the body bytes as whoever reads them (the route's body parser) receives them, by watching
 * the request's own `data` events: a listener of ours would start the flow before the parser is
 * there, and reading ahead would take the route's body limit and types out of its hands.
 */
function tapBody(req: Request): BodyTap {
  const hash = createHash('sha256');
  let size = 0;
  let ended = false;
  let digest: string | null = null;
  const emit = req.emit;
  req.emit = function (this: Request, event: string | symbol, ...args: unknown[]) {
    if (event === 'data') {
      const chunk = args[0] as Buffer | string;
      size += chunk.length;
      hash.update(chunk);
    } else if (event === 'end') ended = true;
    return emit.call(this, event, ...args);
  } as typeof req.emit;
  const tap: BodyTap = {
    digest: () => {
      if (!ended) return null;
      digest ??= hash.digest('hex');
      return digest;
    },
    readAll: () =>
      new Promise((resolve) => {
        if (ended) return resolve(tap.digest());
        const stop = () => {
          req.pause();
          resolve(null);
        };
        req.on('data', () => {
          if (size > MAX_BODY) stop();
        });
        req.on('end', () => resolve(tap.digest()));
        req.on('error', stop);
        req.resume();
      }),
  };
  return tap;
}

/**
 * `If-Match: "<lastSeq>"` on an item's event: refused with 412 item_changed when the item has had
 * an event since the page that sends it was drawn (a second tab, a colleague's scan). A header
 * that is not RFC 9110 If-Match syntax is 400 invalid_if_match; `*` matches any item.
 */
export function itemPrecondition(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const given = req.get('if-match');
    if (given === undefined || given.trim() === '') return next();
    const tags = parseIfMatch(given);
    if (tags === null)
      return next(
        new AppError(
          'invalid_if_match',
          'If-Match must be "*" or a list of entity tags in double quotes, e.g. If-Match: "42" (the item\'s lastSeq)',
        ),
      );
    if (tags === '*') return next();
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
    if (row && !tags.includes(String(row.last_seq)))
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

/** One list element (RFC 9110 §5.6.1, §8.8.3): an entity tag (optional W/, then DQUOTE *etagc DQUOTE) or nothing, then a comma or the end. */
const ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/y;

/**
 * `If-Match = "*" / #entity-tag` (RFC 9110 §13.1.1): "*", or the opaque texts of the strong tags
 * listed (If-Match compares strongly, so a weak tag never matches), or null when malformed.
 */
export function parseIfMatch(value: string): '*' | string[] | null {
  if (value.trim() === '*') return '*';
  const tags: string[] = [];
  let at = 0;
  while (at < value.length) {
    ELEMENT.lastIndex = at;
    const m = ELEMENT.exec(value);
    if (!m) return null;
    if (m[2] !== undefined && m[1] === undefined) tags.push(m[2]);
    at = ELEMENT.lastIndex;
    if (m[3] === '') break;
  }
  return tags;
}
