import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsBase64, IsDateString, IsEmail, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class InboundSenderDto {
  @IsString() @MinLength(1) @MaxLength(256) externalId: string;
  @IsOptional() @IsString() @MaxLength(300) name?: string;
  @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @IsOptional() @IsString() @MaxLength(50) phone?: string;
}

export class InboundAttachmentDto {
  @IsString() @MinLength(1) @MaxLength(255) filename: string;
  @IsString() @MaxLength(255) contentType: string;
  @IsBase64() contentBase64: string;
}

/** The body of POST /api/channels/:id/inbound (API.md). */
export class InboundApiMessageDto {
  @IsString() @MinLength(1) @MaxLength(256) externalMessageId: string;
  @IsObject() @ValidateNested() @Type(() => InboundSenderDto) from: InboundSenderDto;
  @IsString() @MaxLength(100_000) text: string;
  @IsOptional() @IsString() @MaxLength(500_000) html?: string;
  @IsOptional() @IsString() @MaxLength(500) subject?: string;
  @IsOptional() @IsString() @MaxLength(256) threadKey?: string;
  @IsOptional() @IsDateString() sentAt?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => InboundAttachmentDto) attachments?: InboundAttachmentDto[];
}
