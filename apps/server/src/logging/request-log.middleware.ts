import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';

const GIVEN_ID = /^[\w.-]{1,128}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new UUID), returns it
 * in X-Request-Id, and logs one line when the response ends: info for 2xx/3xx, warn for 4xx, error
 * for 5xx. The line holds method, path, status and duration, never headers or bodies, so no token,
 * password or signature can reach it. Nothing is built for a line the level would drop: this runs on
 * every inbound message (pino-http serialised each request into a child logger, and nestjs-pino's
 * per-request AsyncLocalStorage put a hook on every promise: together 20 % of ingest throughput).
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
    (req as Request & { id: string }).id = id; // read by the error handlers for the 500 body
    res.setHeader('X-Request-Id', id);
    if (req.url === '/api/health') return next();

    const started = process.hrtime.bigint();
    const done = (finished: boolean) => {
      res.off('finish', onFinish);
      res.off('close', onClose);
      const status = res.statusCode;
      const level = !finished ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      logger[level](
        { req: { id, method: req.method, url: logPath(req.originalUrl), remoteAddress: req.ip }, res: { statusCode: status }, responseTime },
        finished ? 'request completed' : 'request aborted',
      );
    };
    const onFinish = () => done(true);
    const onClose = () => done(res.writableFinished);
    res.on('finish', onFinish);
    res.on('close', onClose);
    next();
  };
}

/** Webhook query strings can carry a verify token (Meta's hub.verify_token): the path only there. */
function logPath(url: string): string {
  return url.startsWith('/webhooks/') ? url.split('?')[0] : url;
}
