import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { redactTokens } from './redact';

declare global {
  namespace Express {
    interface Request {
      /** The request id: the client's well-formed `X-Request-Id`, else a UUID (src/app.ts). */
      id: string;
      /** The service's logger (the request id goes in each line by hand: no child logger per request). */
      log?: Logger;
    }
  }
}

/**
 * One JSON line per request, once its answer is sent (or the client went away):
 * `{"req":{id,method,url,remoteAddress,forwardedFor?},"res":{statusCode},"responseTime","user"?,"msg"}`
 * at info (2xx/3xx), warn (4xx) or error (5xx). Built by hand from the few fields it needs, so a
 * request costs one object and one write into the logger's buffer: no child logger, no serialisers.
 * Headers are never logged (Authorization carries a bearer token); token-shaped text in the URL is
 * redacted.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    req.log = logger;
    res.once('close', () => logLine(logger, req, res, started));
    next();
  };
}

function logLine(logger: Logger, req: Request, res: ServerResponse<IncomingMessage>, started: number) {
  const status = res.statusCode;
  const level = !res.writableFinished || status < 400 ? 'info' : status < 500 ? 'warn' : 'error';
  const forwarded = req.headers['x-forwarded-for'];
  const line = {
    req: {
      id: req.id,
      method: req.method,
      url: redactTokens(req.originalUrl),
      remoteAddress: req.socket.remoteAddress,
      ...(forwarded ? { forwardedFor: forwarded } : {}),
    },
    res: { statusCode: status },
    responseTime: Math.round(performance.now() - started),
    ...(req.user ? { user: req.user.id } : {}),
  };
  logger[res.writableFinished ? level : 'warn'](
    line,
    res.writableFinished ? 'request completed' : 'request aborted',
  );
}
