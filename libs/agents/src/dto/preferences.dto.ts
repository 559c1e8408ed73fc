import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const LANGUAGES = ['en', 'fa'] as const;
export const CALENDARS = ['gregorian', 'persian'] as const;
export const DIGITS = ['latn', 'arabext'] as const;

export type Language = (typeof LANGUAGES)[number];
export type CalendarSystem = (typeof CALENDARS)[number];
export type DigitSystem = (typeof DIGITS)[number];

/** The agent's own display settings for the web app; a field not chosen yet is absent. */
export class AgentPreferencesDto {
  @ApiPropertyOptional({ enum: LANGUAGES }) language?: Language;
  @ApiPropertyOptional({ enum: CALENDARS }) calendar?: CalendarSystem;
  @ApiPropertyOptional({ enum: DIGITS, description: 'latn: 0-9; arabext: Persian digits ۰-۹' }) digits?: DigitSystem;
}

export class UpdatePreferencesDto {
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) language?: Language;
  @ApiPropertyOptional({ enum: CALENDARS }) @IsOptional() @IsIn(CALENDARS) calendar?: CalendarSystem;
  @ApiPropertyOptional({ enum: DIGITS }) @IsOptional() @IsIn(DIGITS) digits?: DigitSystem;
}
