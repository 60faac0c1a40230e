import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, type ErrorCode } from '../lib/errors';
import { redactTokens } from './redact';

export const PROBLEM_TYPE_BASE = 'https://custody-ledger.dev/problems/';

const TITLES: Partial<Record<ErrorCode, string>> = {
  validation_failed: 'The request is not valid',
  unauthenticated: 'Authentication required',
  forbidden: 'Your role may not do this',
  internal_error: 'Internal error',
};

function titleOf(code: string): string {
  return TITLES[code as ErrorCode] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function sendProblem(res: Response, err: AppError, instance: string): void {
  const requestId = res.req?.id;
  // A token sent in the URL (or echoed in a detail) is not sent back: proxies and browsers log answers too.
  res
    .status(err.status)
    .type('application/problem+json')
    .send(
      redactTokens(
        JSON.stringify({
          ...err.extra,
          type: PROBLEM_TYPE_BASE + err.code,
          title: titleOf(err.code),
          status: err.status,
          detail: err.message,
          instance,
          code: err.code,
          ...(requestId === undefined ? {} : { requestId: String(requestId) }),
        }),
      ),
    );
}

/** Body-parser and other library errors carry a `type` or `status`; map them to stable codes. */
function fromLibraryError(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  // The router decodes path parameters with decodeURIComponent, which throws on `%zz` or cut UTF-8.
  if (err instanceof URIError) {
    return new AppError(
      'invalid_percent_encoding',
      'the path has malformed percent-encoding: each % must start a UTF-8 byte as %XX (write a literal % as %25)',
    );
  }
  const e = err as {
    type?: string;
    status?: number;
    statusCode?: number;
    limit?: number;
    encoding?: string;
  };
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'the body is not valid JSON');
    case 'entity.too.large':
      return new AppError(
        'payload_too_large',
        `the body is larger than the limit of ${e.limit ?? '?'} bytes`,
      );
    case 'encoding.unsupported':
      return new AppError(
        'unsupported_media_type',
        `the Content-Encoding ${JSON.stringify(String(e.encoding ?? '').slice(0, 40))} is not supported (send identity, gzip, deflate or br)`,
      );
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'the body must be UTF-8');
    case 'request.aborted':
    case 'stream.encoding.set':
    case 'request.size.invalid':
      return new AppError('validation_failed', 'the body could not be read');
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('validation_failed', 'the request could not be processed');
  }
  return null;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('route_not_found', `no route ${req.method} ${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = err instanceof AppError ? err : fromLibraryError(err);
  if (res.headersSent) {
    // A streamed answer failed midway: the client sees a cut stream; we log it.
    req.log?.error({ err, req: { id: req.id } }, 'error after headers were sent');
    res.destroy();
    return;
  }
  if (appError) {
    sendProblem(res, appError, req.originalUrl);
    return;
  }
  req.log?.error({ err, req: { id: req.id } }, 'unhandled error');
  sendProblem(
    res,
    new AppError('internal_error', 'the service could not complete the request'),
    req.originalUrl,
  );
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over 16 KB, malformed
 * request lines) get a problem+json answer too, instead of a bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const problem =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('headers_too_large', 'the request line and headers are larger than 16 KB')
        : new AppError('validation_failed', 'the request is not valid HTTP/1.1');
    const body = JSON.stringify({
      type: PROBLEM_TYPE_BASE + problem.code,
      title: titleOf(problem.code),
      status: problem.status,
      detail: problem.message,
      code: problem.code,
    });
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}
