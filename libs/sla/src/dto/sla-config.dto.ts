import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class CreateCalendarDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: 'Asia/Tehran' }) @IsString() timezone: string;
  @ApiProperty({ example: { sat: [['08:00', '16:00']], thu: [['08:00', '12:00']], fri: [] } }) @IsObject() weekly: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String], example: ['2027-03-21'] }) @IsOptional() holidays?: unknown;
}

export class CalendarDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() timezone: string;
  @ApiProperty() weekly: Record<string, Array<[string, string]>>;
  @ApiProperty({ type: [String] }) holidays: string[];
  @ApiProperty() createdAt: string;
}

export class CreatePolicyDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: 'each field a value or a list; missing = any', example: { priority: ['high', 'urgent'], tier: 'vip' } })
  @IsOptional()
  @IsObject()
  match?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(365 * 86400) firstResponseSec?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(365 * 86400) nextResponseSec?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(365 * 86400) resolutionSec?: number;
  @ApiPropertyOptional({ nullable: true, description: 'business time in this calendar; none = calendar time' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  calendarId?: string | null;
  @ApiPropertyOptional({ description: 'at risk once this % of the target has elapsed' }) @IsOptional() @IsInt() @Min(1) @Max(99) warnPercent?: number;
  @ApiPropertyOptional({ description: 'at risk this many seconds before due' }) @IsOptional() @IsInt() @Min(1) warnBeforeSec?: number;
  @ApiPropertyOptional({ description: 'evaluation order, lowest first; default: last' }) @IsOptional() @IsInt() @Min(0) position?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class PolicyDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() position: number;
  @ApiProperty() match: { priority?: string[]; channelType?: string[]; tier?: string[] };
  @ApiProperty({ nullable: true }) firstResponseSec: number | null;
  @ApiProperty({ nullable: true }) nextResponseSec: number | null;
  @ApiProperty({ nullable: true }) resolutionSec: number | null;
  @ApiProperty({ nullable: true }) calendarId: string | null;
  @ApiProperty({ nullable: true }) warnPercent: number | null;
  @ApiProperty({ nullable: true }) warnBeforeSec: number | null;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
}

/** Targets and calendar are fixed once tickets carry the policy: make a new policy to change them. */
export class UpdatePolicyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'applies to tickets created from now on' }) @IsOptional() @IsObject() match?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) position?: number;
  @ApiPropertyOptional({ description: 'false: no new ticket gets it; tickets that have it keep it' }) @IsOptional() @IsBoolean() active?: boolean;
}
