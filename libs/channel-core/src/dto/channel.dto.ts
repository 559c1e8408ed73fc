import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CHANNEL_TYPES, ChannelType, ConnectionState } from '../channel.entity';

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES }) @IsIn(CHANNEL_TYPES) type: ChannelType;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ description: 'by type, see API.md; secret fields are write-only' }) @IsObject() config: Record<string, unknown>;
}

export class UpdateChannelDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'the whole config; a secret field left out keeps its stored value' })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ChannelHealthDto {
  @ApiProperty({ nullable: true }) lastError: string | null;
  @ApiProperty({ nullable: true }) lastErrorAt: string | null;
  @ApiProperty({ nullable: true }) lastMessageAt: string | null;
  @ApiPropertyOptional({ enum: ['connecting', 'connected', 'disconnected'], description: 'pulling channels (email): the live connection' })
  connection?: { state: ConnectionState; since: string | null };
  @ApiProperty({ description: 'where a pulling channel is up to, by key' }) cursor: Record<string, unknown>;
}

export class ChannelDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CHANNEL_TYPES }) type: ChannelType;
  @ApiProperty() name: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'the config without its secret fields' }) config: Record<string, unknown>;
  @ApiPropertyOptional() webhookUrl?: string;
  @ApiProperty({ type: ChannelHealthDto }) health: ChannelHealthDto;
  @ApiProperty() createdAt: string;
}

export class CreatedChannelDto extends ChannelDto {
  @ApiPropertyOptional({ description: 'API channel: the X-Channel-Token, shown once' }) inboundToken?: string;
}
