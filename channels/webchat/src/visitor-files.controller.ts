import { Controller, Get, HttpCode, Options, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { ResolvedChannel } from '@pasokh/channel-core';
import { Public } from '@pasokh/common';
import { IngestService } from '@pasokh/ingest';
import { AttachmentStorage } from '@pasokh/messages';
import type { Request, Response } from 'express';
import { Refusal, VisitorAdmission } from './visitor-admission';
import { CLIENT_MESSAGE_ID } from './visitor-input';
import { VisitorMessagesRepository } from './visitor-messages.repository';
import { VisitorMessage, VisitorRooms } from './visitor-rooms';
import { WebchatConfig } from './webchat-config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS: Record<Refusal['code'], number> = { CHANNEL_NOT_FOUND: 404, CHANNEL_INACTIVE: 403, ORIGIN_NOT_ALLOWED: 403, INVALID_VISITOR_TOKEN: 401 };

/**
 * Files in a web chat, over HTTP on the site's origin (CORS) with the visitor token as bearer.
 * A file from a website visitor (a screenshot, a receipt) is one multipart POST; it becomes a message
 * like any other, through ingest; the widget's id for it makes a retried upload a duplicate, not a
 * second message. A file in the conversation (an agent's invoice, the visitor's own upload) is a GET;
 * the token goes in a header, never in a URL a page or a proxy could log.
 */
@ApiExcludeController()
@Controller('webchat/:channelId/files')
export class VisitorFilesController {
  constructor(
    private readonly admission: VisitorAdmission,
    private readonly ingest: IngestService,
    private readonly rooms: VisitorRooms,
    private readonly visitorMessages: VisitorMessagesRepository,
    private readonly storage: AttachmentStorage,
  ) {}

  @Public()
  @Options()
  @HttpCode(204)
  preflightUpload(@Param('channelId') channelId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    return this.preflight(channelId, req, res, 'POST');
  }

  @Public()
  @Options(':attachmentId')
  @HttpCode(204)
  preflightDownload(@Param('channelId') channelId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    return this.preflight(channelId, req, res, 'GET');
  }

  @Public()
  @Get(':attachmentId')
  async download(@Param('channelId') channelId: string, @Param('attachmentId') attachmentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const channel = await this.allowOrigin(channelId, req, res);
    if (channel instanceof Refusal) {
      res.json({ ok: false, error: { code: channel.code, message: channel.message } });
      return;
    }
    try {
      const { visitorId } = this.admission.visitor(channel.id, bearer(req) ?? '', false);
      const file = UUID.test(attachmentId) ? await this.visitorMessages.file(channel.id, visitorId, attachmentId) : null;
      if (!file) {
        res.status(404).json({ ok: false, error: { code: 'ATTACHMENT_NOT_FOUND', message: 'no file with this id in your conversation' } });
        return;
      }
      const content = await this.storage.get(file.storage_key);
      res.setHeader('Content-Type', file.content_type);
      res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      // The visitor token is the key: no shared cache may keep the answer.
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(content);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      res.status(STATUS[error.code]).json({ ok: false, error: { code: error.code, message: error.message } });
    }
  }

  private async preflight(channelId: string, req: Request, res: Response, method: 'GET' | 'POST'): Promise<void> {
    if ((await this.allowOrigin(channelId, req, res)) instanceof Refusal) return;
    res.setHeader('Access-Control-Allow-Methods', method);
    res.setHeader('Access-Control-Allow-Headers', 'authorization, x-client-message-id');
    res.setHeader('Access-Control-Max-Age', '600');
  }

  @Public()
  @Post()
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @Param('channelId') channelId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<{ ok: true; message: VisitorMessage } | { ok: false; error: { code: string; message: string } }> {
    const channel = await this.allowOrigin(channelId, req, res);
    if (channel instanceof Refusal) return { ok: false, error: { code: channel.code, message: channel.message } };
    try {
      const { visitorId } = this.admission.visitor(channel.id, bearer(req) ?? '', false);
      const clientMessageId = String(req.headers['x-client-message-id'] ?? '');
      if (!CLIENT_MESSAGE_ID.test(clientMessageId)) return this.fail(res, 400, 'VALIDATION_FAILED', 'X-Client-Message-Id must be 1–100 letters, digits, - or _');
      if (!file) return this.fail(res, 400, 'VALIDATION_FAILED', 'send the file as multipart field "file"');
      const result = await this.ingest.ingest(channel, {
        externalMessageId: `${visitorId}:${clientMessageId}`,
        from: { externalId: visitorId },
        text: '',
        attachments: [{ filename: file.originalname || 'file', contentType: file.mimetype || 'application/octet-stream', content: file.buffer }],
      });
      const message = (await this.visitorMessages.message(result.messageId))!;
      if (!result.duplicate) this.rooms.send(channel.id, visitorId, message);
      return { ok: true, message };
    } catch (error) {
      // Anything else (a stored-file failure, a database error) goes to the global filter, CORS headers set.
      if (error instanceof Refusal) return this.fail(res, STATUS[error.code], error.code, error.message);
      throw error;
    }
  }

  /** The channel, with CORS headers for the page's origin; or the refusal, its status set. */
  private async allowOrigin(channelId: string, req: Request, res: Response): Promise<ResolvedChannel<WebchatConfig> | Refusal> {
    try {
      const channel = await this.admission.channel(channelId, req.headers.origin);
      if (req.headers.origin) {
        res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
        res.setHeader('Vary', 'Origin');
      }
      return channel;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      res.status(STATUS[error.code]);
      return error;
    }
  }

  private fail(res: Response, status: number, code: string, message: string) {
    res.status(status);
    return { ok: false as const, error: { code, message } };
  }
}

function bearer(req: Request): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}
