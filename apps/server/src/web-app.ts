import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The agent web app (apps/web, built by Vite into dist/web) served at `/`:
 * - hashed files under /assets are cached for a year (immutable); index.html is `no-cache`, so a
 *   new build is picked up on the next load;
 * - any other GET that asks for HTML gets index.html (the app routes in the browser);
 * - /api, /webhooks, /socket.io and the web-chat widget are never shadowed;
 * - a strict Content-Security-Policy: the app loads nothing from elsewhere. Remote images are allowed
 *   only over https, and only the email frame has any (after the agent clicks "Show remote images";
 *   until then the server and the frame's own policy keep them out).
 * Without a build (dist/web missing) the server runs API-only and says so.
 */

export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline styles: the email frame (srcdoc inherits this policy) shows mail with its own styling.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-src 'self' blob: about:",
  "media-src 'self' blob: data:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const NEVER_SHADOW = ['/api', '/webhooks', '/socket.io', '/webchat', '/widget.js'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.webmanifest']);

/** dist/web next to the build (dist/apps/server/src → dist/web), or from the sources (tests). */
export function findWebDir(): string | null {
  const candidates = [join(__dirname, '..', '..', '..', 'web'), join(__dirname, '..', '..', '..', 'dist', 'web')];
  for (const dir of candidates) if (existsSync(join(dir, 'index.html'))) return dir;
  return null;
}

interface CachedFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  mtimeMs: number;
}

function isReserved(path: string): boolean {
  return NEVER_SHADOW.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`));
}

export function mountWebApp(app: NestExpressApplication, webDir: string | null = findWebDir()): void {
  const logger = new Logger('WebApp');
  if (!webDir) {
    logger.warn('dist/web not found: serving the API only (run `npm run build` to build the web app)');
    return;
  }
  const root = normalize(webDir + sep);
  const cache = new Map<string, CachedFile>();

  const load = (file: string): CachedFile | null => {
    const cached = cache.get(file);
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return null;
      if (cached && cached.mtimeMs === stat.mtimeMs) return cached;
      const ext = extname(file).toLowerCase();
      const body = readFileSync(file);
      const entry: CachedFile = {
        body,
        gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null,
        type: TYPES[ext] ?? 'application/octet-stream',
        mtimeMs: stat.mtimeMs,
      };
      cache.set(file, entry);
      return entry;
    } catch {
      // Missing, or a rebuild in progress (the output directory is emptied first): keep serving what we had.
      return cached ?? null;
    }
  };

  const send = (req: Request, res: Response, file: CachedFile, cacheControl: string) => {
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Vary', 'Accept-Encoding');
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzip! : file.body;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };

  const sendIndex = (req: Request, res: Response, next: NextFunction) => {
    const index = load(join(root, 'index.html'));
    if (!index) return next();
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    send(req, res, index, 'no-cache');
  };

  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isReserved(req.path)) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (path === '/' || path === '/index.html') return sendIndex(req, res, next);
    const file = normalize(join(root, path));
    if (file.startsWith(root) && !path.includes('\0')) {
      const found = load(file);
      if (found) return send(req, res, found, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    }
    // A missing hashed asset is a 404, never the page; a browser navigation gets the app.
    if (path.startsWith('/assets/') || !req.accepts('html')) return next();
    if (!String(req.headers.accept ?? '').includes('text/html')) return next();
    return sendIndex(req, res, next);
  });
  logger.log(`serving the web app from ${webDir}`);
}
