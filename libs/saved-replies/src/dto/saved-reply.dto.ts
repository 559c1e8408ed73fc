import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

// Typed after "/" in the composer: letters (any script), digits, - and _.
const SHORTCUT = /^[\p{L}\p{N}_-]{1,40}$/u;
const SHORTCUT_MESSAGE = 'shortcut must be 1–40 letters, digits, - or _';

export class CreateSavedReplyDto {
  @ApiProperty({ example: 'shipping' }) @IsString() @Matches(SHORTCUT, { message: SHORTCUT_MESSAGE }) shortcut: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) title: string;
  @ApiProperty({ description: 'may use {{customer.name}}, {{agent.name}} and {{ticket.number}}, filled in by the composer' })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  text: string;
}

export class UpdateSavedReplyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(SHORTCUT, { message: SHORTCUT_MESSAGE }) shortcut?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(10_000) text?: string;
}

export class SavedReplyDto {
  @ApiProperty() id: string;
  @ApiProperty() shortcut: string;
  @ApiProperty() title: string;
  @ApiProperty() text: string;
  @ApiProperty() updatedAt: string;
}
