import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CHANNEL_TYPES, ChannelType, ConnectionState } from '../channel.entity';

/** Who the channel's new tickets go to. */
export class ChannelAssignmentDto {
  @ApiProperty({ description: 'assign new and waiting tickets to an online agent with room' }) @IsBoolean() auto: boolean;
  @ApiProperty({ nullable: true, description: "the team new tickets go to; with auto, only its members get them" })
  @IsOptional()
  @IsUUID()
  teamId: string | null;
  @ApiProperty({ nullable: true, description: 'auto: at most this many open tickets per agent; null = no cap' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxOpenPerAgent: number | null;
}

/** A reply to new tickets that arrive outside business hours. */
export class ChannelAwayReplyDto {
  @ApiProperty({ description: 'business hours (GET /api/calendars)' }) @IsUUID() calendarId: string;
  @ApiProperty({ nullable: true, description: 'the text; {{opensAt}} becomes when the team is back. Null: a default in the customer\'s language' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message: string | null;
}

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES }) @IsIn(CHANNEL_TYPES) type: ChannelType;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ description: 'by type, see API.md; secret fields are write-only' }) @IsObject() config: Record<string, unknown>;
  @ApiPropertyOptional({ type: ChannelAssignmentDto, description: 'default: manual, no team' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelAssignmentDto)
  assignment?: ChannelAssignmentDto;
  @ApiPropertyOptional({ description: 'ask for a 1–5 rating when an agent resolves a ticket (default false)' }) @IsOptional() @IsBoolean() csat?: boolean;
  @ApiPropertyOptional({ type: ChannelAwayReplyDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => ChannelAwayReplyDto) awayReply?: ChannelAwayReplyDto | null;
}

export class UpdateChannelDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'the whole config; a secret field left out keeps its stored value' })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ type: ChannelAssignmentDto }) @IsOptional() @ValidateNested() @Type(() => ChannelAssignmentDto) assignment?: ChannelAssignmentDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() csat?: boolean;
  @ApiPropertyOptional({ type: ChannelAwayReplyDto, nullable: true, description: 'null turns it off' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelAwayReplyDto)
  awayReply?: ChannelAwayReplyDto | null;
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
  @ApiProperty({ type: ChannelAssignmentDto }) assignment: ChannelAssignmentDto;
  @ApiProperty({ description: 'asks for a rating when an agent resolves a ticket' }) csat: boolean;
  @ApiProperty({ type: ChannelAwayReplyDto, nullable: true }) awayReply: ChannelAwayReplyDto | null;
  @ApiPropertyOptional() webhookUrl?: string;
  @ApiProperty({ type: ChannelHealthDto }) health: ChannelHealthDto;
  @ApiProperty() createdAt: string;
}

export class CreatedChannelDto extends ChannelDto {
  @ApiPropertyOptional({ description: 'API channel: the X-Channel-Token, shown once' }) inboundToken?: string;
}
