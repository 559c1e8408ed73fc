import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { SLA_STATES, SlaState, TICKET_PRIORITIES, TICKET_STATUSES, TicketPriority, TicketStatus } from '../ticket.entity';

export class TicketChannelRefDto {
  @ApiProperty() id: string;
  @ApiProperty() type: string;
  @ApiProperty() name: string;
}

export class TicketCustomerRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true }) name: string | null;
}

export class TicketSlaDto {
  @ApiProperty({ nullable: true }) policyId: string | null;
  @ApiProperty({ nullable: true }) firstResponseDueAt: string | null;
  @ApiProperty({ nullable: true }) nextResponseDueAt: string | null;
  @ApiProperty({ nullable: true }) resolutionDueAt: string | null;
  @ApiProperty({ enum: SLA_STATES }) state: SlaState;
}

export class TicketDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
  @ApiProperty({ nullable: true }) subject: string | null;
  @ApiProperty({ enum: TICKET_STATUSES }) status: TicketStatus;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority: TicketPriority;
  @ApiProperty({ type: TicketChannelRefDto }) channel: TicketChannelRefDto;
  @ApiProperty({ type: TicketCustomerRefDto }) customer: TicketCustomerRefDto;
  @ApiProperty({ nullable: true }) assigneeId: string | null;
  @ApiProperty({ nullable: true }) teamId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() messageCount: number;
  @ApiProperty({ nullable: true }) snoozedUntil: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty() lastMessageAt: string;
  @ApiProperty({ nullable: true, description: "the customer's latest message" }) lastCustomerMessageAt: string | null;
  @ApiProperty({ nullable: true }) firstResponseAt: string | null;
  @ApiProperty({ nullable: true }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, description: 'until when a free-form reply is allowed (WhatsApp 24-hour window); null: no window' })
  replyWindowEndsAt: string | null;
  @ApiProperty({ type: TicketSlaDto }) sla: TicketSlaDto;
  @ApiPropertyOptional({ nullable: true, description: 'REST only: when the calling agent last read the ticket (null: never); unread = lastCustomerMessageAt > readAt' })
  readAt?: string | null;
  @ApiPropertyOptional({ nullable: true, description: "REST only: the start of the latest message's text" })
  preview?: string | null;
}

export class TicketReadDto {
  @ApiProperty() ticketId: string;
  @ApiProperty() readAt: string;
}

const csv = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);

export class ListTicketsQuery {
  @ApiPropertyOptional({ description: 'one or more, comma-separated' }) @IsOptional() @Transform(csv) @IsIn(TICKET_STATUSES, { each: true }) status?: TicketStatus[];
  @ApiPropertyOptional({ description: 'one or more, comma-separated' }) @IsOptional() @Transform(csv) @IsIn(TICKET_PRIORITIES, { each: true }) priority?: TicketPriority[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) channelType?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() channelId?: string;
  @ApiPropertyOptional({ description: 'an agent id, `me` or `none`' })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'assigneeId must be an agent id, me or none' })
  assigneeId?: string;
  @ApiPropertyOptional({ description: 'a team id or `none`' })
  @IsOptional()
  @Matches(/^(none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'teamId must be a team id or none' })
  teamId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) tag?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional({ description: 'subject, customer name/email/phone, or #number' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class UpdateTicketDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES }) @IsOptional() @IsIn(TICKET_STATUSES) status?: TicketStatus;
  @ApiPropertyOptional({ enum: TICKET_PRIORITIES }) @IsOptional() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() assigneeId?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() teamId?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) tags?: string[];
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsDateString() snoozedUntil?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500) subject?: string | null;
}

export class SlaBoardQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() teamId?: string;
  @ApiPropertyOptional({ description: 'an agent id, `me` or `none`' })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: 'assigneeId must be an agent id, me or none' })
  assigneeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) channelType?: string;
  @ApiPropertyOptional({ description: 'one or more, comma-separated' }) @IsOptional() @Transform(csv) @IsIn(TICKET_PRIORITIES, { each: true }) priority?: TicketPriority[];
  @ApiPropertyOptional({ maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class SlaBoardSummaryDto {
  @ApiProperty() breached: number;
  @ApiProperty() atRisk: number;
  @ApiProperty() onTrack: number;
  @ApiProperty() paused: number;
}

export class SlaBoardDto {
  @ApiProperty({ type: SlaBoardSummaryDto }) summary: SlaBoardSummaryDto;
  @ApiProperty({ type: [TicketDto] }) tickets: TicketDto[];
}
