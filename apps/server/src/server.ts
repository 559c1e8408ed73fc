import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CommonErrorCode, CommonException, GlobalExceptionFilter, toErrorBody } from '@pasokh/common';
import { AppConfig } from '@pasokh/config';
import { Database } from '@pasokh/database';
import express, { NextFunction, Request, Response } from 'express';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger as PinoLogger } from 'pino';
import { MIGRATIONS } from '../../../migrations';
import { AppModule } from './app.module';
import { RealtimeIoAdapter } from './realtime-io.adapter';
import { ENTITIES } from './entities';
import { createRootLogger } from './logging/root-logger';
import { NestPinoLogger } from './logging/nest-pino.logger';
import { requestLog } from './logging/request-log.middleware';
import { resolveSecretKey } from './secret-key';
import { mountWebApp } from './web-app';

export interface RunningServer {
  app: INestApplication;
  database: Database;
  url: string;
  /** Graceful: stop taking requests, let in-flight ones and the workers finish, close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Tests hand in a database they prepared (a migrated template copy); the caller closes it. */
  database?: Database;
}

const JSON_LIMIT = '1mb';

export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningServer> {
  config = { ...config, secretKey: resolveSecretKey(config) };
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await Database.open({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, entities: ENTITIES, migrations: MIGRATIONS }));
  let app: NestExpressApplication | undefined;
  let realtime: RealtimeIoAdapter | undefined;
  let shuttingDown = false;
  try {
    const logger = createRootLogger(config.logLevel);
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
      bodyParser: false,
      logger: new NestPinoLogger(logger),
      abortOnError: false,
    });
    configureHttp(app, config, logger, () => shuttingDown);
    realtime = await RealtimeIoAdapter.create(app, config);
    app.useWebSocketAdapter(realtime);
    keepIdleConnections(app.getHttpServer());
    await app.listen(config.port, '0.0.0.0');
  } catch (error) {
    await app?.close().catch(() => undefined);
    await realtime?.dispose();
    if (ownsDatabase) await database.close();
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // server.close() alone waits for keep-alive clients that keep sending: answer them with
      // Connection: close and drop connections as soon as they go idle.
      shuttingDown = true;
      const httpServer = app!.getHttpServer() as HttpServer;
      const reaper = setInterval(() => httpServer.closeIdleConnections(), 100);
      try {
        await app!.close();
      } finally {
        clearInterval(reaper);
        await realtime!.dispose();
        if (ownsDatabase) await database.close();
      }
    })());
  return { app, database, url: `http://127.0.0.1:${port}`, close };
}

/**
 * Node closes a keep-alive connection after 5 idle seconds; a request sent on it just then fails
 * (ECONNRESET at a client, a 502 at a proxy). Proxies keep idle upstream connections longer (60 s on
 * AWS ALB and for nginx upstreams), so the server must outlast them, not the other way round.
 */
function keepIdleConnections(server: HttpServer): void {
  server.keepAliveTimeout = 76_000;
  server.headersTimeout = 77_000; // must exceed keepAliveTimeout, or a slow first header on a reused connection is cut
}

function configureHttp(app: NestExpressApplication, config: AppConfig, logger: PinoLogger, shuttingDown: () => boolean): void {
  app.use(requestLog(logger));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (shuttingDown()) res.setHeader('Connection', 'close');
    next();
  });
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  mountWebApp(app);

  // Keep the raw bytes: provider signatures are computed over them, not over re-serialised JSON.
  const keepRaw = (req: Request & { rawBody?: Buffer }, _res: Response, buf: Buffer) => {
    req.rawBody = buf;
  };
  // Inbound messages may carry base64 attachments: room for them, and no more.
  const inboundLimit = Math.ceil(config.maxAttachmentBytes * 1.4) + 1024 * 1024;
  app.use('/api/channels/:id/inbound', express.json({ limit: inboundLimit, verify: keepRaw }));
  app.use(express.json({ limit: JSON_LIMIT, verify: keepRaw }));
  app.use(express.urlencoded({ extended: false, limit: JSON_LIMIT, verify: keepRaw }));
  app.use(express.raw({ type: 'text/calendar', limit: JSON_LIMIT, verify: keepRaw }));
  app.use((error: unknown, req: Request & { id?: string }, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const body = toErrorBody(error, req.id ? String(req.id) : undefined);
    res.status(body.statusCode).json(body);
  });

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const messages = errors.flatMap(function flatten(e): string[] {
          return [...Object.values(e.constraints ?? {}), ...(e.children ?? []).flatMap(flatten).map((m) => `${e.property}.${m}`)];
        });
        return new CommonException(CommonErrorCode.VALIDATION_FAILED, messages.join('; ') || 'invalid request');
      },
    }),
  );
  app.useGlobalFilters(new GlobalExceptionFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Pasokh API')
      .setDescription('Omnichannel customer-support inbox. Errors: { statusCode, error, message, code }.')
      .setVersion('0.1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
