import pino, { Logger } from 'pino';
import type { AppConfig } from '@pasokh/config';

/**
 * The process's one pino logger: JSON lines on stdout. Request lines never carry headers or bodies
 * (see request-log.middleware.ts); what is redacted here is what an error object can drag in: a
 * failed query's parameters may hold password hashes or sealed channel secrets, and an HTTP client's
 * error (the twilio SDK's axios) carries its request headers, with the provider credentials.
 */
export function createRootLogger(level: AppConfig['logLevel']): Logger {
  return pino({
    level,
    redact: { paths: ['err.parameters', 'err.driverError.parameters', 'err.config.headers', 'err.response.config.headers'], censor: '[redacted]' },
  });
}
