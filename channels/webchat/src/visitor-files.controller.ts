import { Controller, HttpCode, Options, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { ResolvedChannel } from '@pasokh/channel-core';
import { Public } from '@pasokh/common';
import { IngestService } from '@pasokh/ingest';
import type { Request, Response } from 'express';
import { Refusal, VisitorAdmission } from './visitor-admission';
import { CLIENT_MESSAGE_ID } from './visitor-input';
import { VisitorMessage, VisitorRooms } from './visitor-rooms';
import { WebchatConfig } from './webchat-config';

const STATUS: Record<Refusal['code'], number> = { CHANNEL_NOT_FOUND: 404, CHANNEL_INACTIVE: 403, ORIGIN_NOT_ALLOWED: 403, INVALID_VISITOR_TOKEN: 401 };

/**
 * A file from a website visitor (a screenshot, a receipt): one multipart POST from the widget, on the
 * site's origin (CORS), with the visitor token as bearer. It becomes a message like any other, through
 * ingest; the widget's id for it makes a retried upload a duplicate, not a second message.
 */
@ApiExcludeController()
@Controller('webchat/:channelId/files')
export class VisitorFilesController {
  constructor(
    private readonly admission: VisitorAdmission,
    private readonly ingest: IngestService,
    private readonly rooms: VisitorRooms,
  ) {}

  @Public()
  @Options()
  @HttpCode(204)
  async preflight(@Param('channelId') channelId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    if ((await this.allowOrigin(channelId, req, res)) instanceof Refusal) return;
    res.setHeader('Access-Control-Allow-Methods', 'POST');
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
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const { visitorId } = this.admission.visitor(channel.id, token ?? '', false);
      const clientMessageId = String(req.headers['x-client-message-id'] ?? '');
      if (!CLIENT_MESSAGE_ID.test(clientMessageId)) return this.fail(res, 400, 'VALIDATION_FAILED', 'X-Client-Message-Id must be 1–100 letters, digits, - or _');
      if (!file) return this.fail(res, 400, 'VALIDATION_FAILED', 'send the file as multipart field "file"');
      const result = await this.ingest.ingest(channel, {
        externalMessageId: `${visitorId}:${clientMessageId}`,
        from: { externalId: visitorId },
        text: '',
        attachments: [{ filename: file.originalname || 'file', contentType: file.mimetype || 'application/octet-stream', content: file.buffer }],
      });
      const message: VisitorMessage = {
        id: result.messageId,
        direction: 'inbound',
        text: '',
        createdAt: new Date().toISOString(),
        agentName: null,
        attachments: [{ filename: file.originalname || 'file' }],
      };
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
