import express, { type RequestHandler } from 'express';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

function bytesOf(limit: string): number {
  const m = /^(\d+)(b|kb|mb)$/i.exec(limit);
  if (!m) throw new Error(`body limit ${limit}: write it as <n>b, <n>kb or <n>mb`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

/** An error as body-parser makes them, so the problem handler maps it alike (src/http/problem.ts). */
function bodyError(status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true, ...extra });
}

/**
 * A request body as bytes (a Buffer in `req.body`), for the types a route accepts, at most `limit`.
 * The common request — a Content-Length within the limit, no Content-Encoding, one of the types —
 * is read straight from the stream; anything else (chunked or compressed bodies, other types, an
 * announced length over the limit) goes through express.raw, which inflates, refuses and names the
 * fault. Both read the same bytes and fail the same ways (413 beyond the limit, 400 when the body
 * is cut short of its Content-Length or the client goes away).
 */
export function rawBody(limit: string, types: readonly string[]): RequestHandler {
  const max = bytesOf(limit);
  const fallback = express.raw({ limit, type: [...types] });
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    const encoding = req.headers['content-encoding'];
    const media = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (
      declared === undefined ||
      !/^\d{1,10}$/.test(declared) ||
      Number(declared) > max ||
      (encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
      req.headers['transfer-encoding'] !== undefined ||
      !types.includes(media) ||
      req.readableEnded
    ) {
      fallback(req, res, next);
      return;
    }
    const length = Number(declared);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) {
        req.resume(); // drain what is left, as body-parser does
        next(err);
        return;
      }
      req.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
      next();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > length) {
        finish(
          bodyError(400, 'request.size.invalid', 'request size did not match content length', {
            expected: length,
            received,
          }),
        );
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (received !== length) {
        finish(
          bodyError(400, 'request.size.invalid', 'request size did not match content length', {
            expected: length,
            received,
          }),
        );
        return;
      }
      finish();
    };
    const onError = (err: Error) =>
      finish(bodyError(400, 'request.aborted', `request aborted: ${err.message}`));
    const onClose = () => finish(bodyError(400, 'request.aborted', 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  };
}
