import type { Request } from 'express';
import type { WebhookRequest } from './channel-adapter';

/**
 * The provider's request as the adapter needs it: raw body bytes (signatures are over them) and the
 * URL the provider called as the outside world sees it (PUBLIC_URL + path and query), so signature
 * checks hold behind a proxy.
 */
export function toWebhookRequest(req: Request & { rawBody?: Buffer }, publicUrl: string): WebhookRequest {
  return { url: publicUrl + req.originalUrl, headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0), body: req.body };
}
