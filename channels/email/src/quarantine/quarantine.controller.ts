import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ChannelsErrorCode, ChannelsException, ChannelsService } from '@pasokh/channel-core';
import { ParseId, Roles } from '@pasokh/common';
import { AttachmentStorage } from '@pasokh/messages';
import type { Response } from 'express';
import { QuarantineRepository } from './quarantine.repository';

export class QuarantinedMessageDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'where the provider keeps it, e.g. INBOX uidvalidity 7 uid 1234' }) sourceRef: string;
  @ApiProperty() reason: string;
  @ApiProperty() size: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'authenticated download of the raw message' }) rawUrl: string;
}

/** Mail that could not become a message, kept raw with the reason, for an admin to look at. */
@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/channels/:id/quarantine')
export class QuarantineController {
  constructor(
    private readonly quarantine: QuarantineRepository,
    private readonly channels: ChannelsService,
    private readonly storage: AttachmentStorage,
  ) {}

  @Get()
  @Roles('admin')
  async list(@Param('id', ParseId) channelId: string, @Query('limit') limit?: string): Promise<{ items: QuarantinedMessageDto[] }> {
    await this.channels.get(channelId);
    const n = Math.min(Math.max(Number(limit) || 50, 1), 200);
    const items = await this.quarantine.list(channelId, n);
    return {
      items: items.map((q) => ({
        id: q.id,
        sourceRef: q.sourceRef,
        reason: q.reason,
        size: q.size,
        createdAt: q.createdAt.toISOString(),
        rawUrl: `/api/channels/${channelId}/quarantine/${q.id}/raw`,
      })),
    };
  }

  @Get(':quarantineId/raw')
  @Roles('admin')
  async raw(@Param('id', ParseId) channelId: string, @Param('quarantineId', ParseId) id: string, @Res() res: Response): Promise<void> {
    const entry = await this.quarantine.find(channelId, id);
    if (!entry) throw new ChannelsException(ChannelsErrorCode.CHANNEL_NOT_FOUND, `quarantined message ${id} not found on channel ${channelId}`);
    const content = await this.storage.get(entry.storageKey);
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Disposition', `attachment; filename="quarantined-${entry.id}.eml"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(content);
  }
}
