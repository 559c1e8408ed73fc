import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { GroupBy } from '../response-times.repository';

export class ResponseTimesQuery {
  @ApiPropertyOptional({ description: 'tickets created at or after; default 30 days before `to`' }) @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional({ description: 'tickets created before; default now' }) @IsOptional() @IsDateString() to?: string;
  @ApiPropertyOptional({ enum: ['agent', 'team', 'channel', 'day'] }) @IsOptional() @IsIn(['agent', 'team', 'channel', 'day']) groupBy?: GroupBy;
  @ApiPropertyOptional({ description: 'IANA zone for groupBy=day', example: 'Asia/Tehran' }) @IsOptional() @IsString() @MaxLength(64) timezone?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class DurationStatsDto {
  @ApiProperty({ nullable: true }) p50: number | null;
  @ApiProperty({ nullable: true }) p90: number | null;
  @ApiProperty({ nullable: true }) avg: number | null;
}

export class CsatStatsDto {
  @ApiProperty({ description: 'satisfaction surveys sent for these tickets' }) surveys: number;
  @ApiProperty({ description: 'surveys the customer answered' }) responses: number;
  @ApiProperty({ nullable: true, description: 'average rating, 1–5' }) average: number | null;
  @ApiProperty({ nullable: true, description: 'share of ratings that are 4 or 5' }) satisfiedRatio: number | null;
}

export class ResponseTimeRowDto {
  @ApiProperty({ nullable: true, description: 'agent/team/channel id, or YYYY-MM-DD; null = none (e.g. unassigned)' }) key: string | null;
  @ApiProperty({ nullable: true }) label: string | null;
  @ApiProperty() tickets: number;
  @ApiProperty({ type: DurationStatsDto, description: 'calendar time' }) firstResponseSec: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto, description: 'business time of the ticket\'s policy calendar' }) firstResponseBusinessSec: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto }) resolutionSec: DurationStatsDto;
  @ApiProperty({ type: DurationStatsDto, description: 'business time, excluding time waiting on the customer' }) resolutionBusinessSec: DurationStatsDto;
  @ApiProperty({ nullable: true, description: 'share of tickets under a policy with no breach' }) slaMetRatio: number | null;
  @ApiProperty({ type: CsatStatsDto }) csat: CsatStatsDto;
}

export class ResponseTimeReportDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() groupBy: string;
  @ApiProperty({ type: [ResponseTimeRowDto] }) rows: ResponseTimeRowDto[];
}
