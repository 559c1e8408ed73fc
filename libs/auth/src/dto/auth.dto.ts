import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty() @IsString() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password: string;
}

export class LoginAgentDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['agent', 'supervisor', 'admin'] }) role: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ type: LoginAgentDto }) agent: LoginAgentDto;
}

export class CreateApiTokenDto {
  @ApiProperty({ description: 'what the token is for, e.g. "CRM sync"' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
}

export class ApiTokenDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() agentId: string;
  @ApiProperty({ nullable: true }) lastUsedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'shown once; only its hash is stored' }) token: string;
}
