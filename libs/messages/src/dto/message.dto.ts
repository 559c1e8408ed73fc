import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from '../message.entity';

export class AttachmentDto {
  @ApiProperty() id: string;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'authenticated download URL, or the provider\'s link when not stored' }) url: string;
  @ApiProperty({ description: 'false: media kept as a link only (see note)' }) stored: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'why the media was not stored' }) note: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'email inline image: the HTML refers to it as cid:<contentId>' }) contentId: string | null;
}

export class MessageDto {
  @ApiProperty() id: string;
  @ApiProperty() ticketId: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction: 'inbound' | 'outbound';
  @ApiProperty({ enum: ['message', 'note', 'event'] }) kind: 'message' | 'note' | 'event';
  @ApiProperty({ enum: ['customer', 'agent', 'system'] }) authorType: 'customer' | 'agent' | 'system';
  @ApiProperty({ nullable: true }) authorId: string | null;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, description: 'sanitized; remote images in data-remote-src' }) html: string | null;
  @ApiProperty({ type: [AttachmentDto] }) attachments: AttachmentDto[];
  @ApiProperty({ enum: DELIVERY_STATUSES }) deliveryStatus: DeliveryStatus;
  @ApiPropertyOptional({ nullable: true }) error: string | null;
  @ApiProperty({ nullable: true }) editedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class ReplyDto {
  @ApiProperty() @IsString() @MaxLength(100_000) text: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500_000) html?: string;
  @ApiPropertyOptional({ type: [String], description: 'ids from POST /api/attachments' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

export class NoteDto {
  @ApiProperty() @IsString() @MaxLength(100_000) text: string;
}

export class ListMessagesQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
