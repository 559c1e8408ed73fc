import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { AGENT_ROLES, AgentRole } from '../agent.entity';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateAgentDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty() @Transform(trimLower) @IsEmail() @MaxLength(320) email: string;
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(200) password: string;
  @ApiProperty({ enum: AGENT_ROLES }) @IsIn(AGENT_ROLES) role: AgentRole;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) teamIds?: string[];
}

export class UpdateAgentDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
  @ApiPropertyOptional({ enum: AGENT_ROLES }) @IsOptional() @IsIn(AGENT_ROLES) role?: AgentRole;
  @ApiPropertyOptional({ description: 'false deactivates the agent and revokes their sessions and tokens' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true }) teamIds?: string[];
}

export class AgentPresenceDto {
  @ApiProperty({ enum: ['online', 'away', 'offline'] }) status: 'online' | 'away' | 'offline';
  @ApiProperty({ nullable: true }) lastSeenAt: string | null;
}

export class AgentDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: AGENT_ROLES }) role: AgentRole;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: [String] }) teamIds: string[];
  @ApiProperty({ type: AgentPresenceDto }) presence: AgentPresenceDto;
  @ApiProperty() createdAt: string;
}
