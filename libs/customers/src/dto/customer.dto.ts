import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class CustomerIdentityDto {
  @ApiProperty() channelType: string;
  @ApiProperty() externalId: string;
}

export class CustomerDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true }) name: string | null;
  @ApiProperty({ nullable: true }) email: string | null;
  @ApiProperty({ nullable: true, description: 'E.164' }) phone: string | null;
  @ApiProperty() tier: string;
  @ApiProperty() attributes: Record<string, unknown>;
  @ApiProperty({ nullable: true }) locale: string | null;
  @ApiProperty({ nullable: true }) timezone: string | null;
  @ApiProperty({ type: [CustomerIdentityDto] }) identities: CustomerIdentityDto[];
  @ApiProperty() ticketCount: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class UpdateCustomerDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(300) name?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(320) email?: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'any format; stored as E.164' }) @IsOptional() @IsString() @MaxLength(50) phone?: string | null;
  @ApiPropertyOptional({ description: 'e.g. standard, vip' }) @IsOptional() @IsString() @MaxLength(50) tier?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() attributes?: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(35) locale?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) timezone?: string | null;
}

export class MergeCustomerDto {
  @ApiProperty({ description: 'the customer folded into this one; it stops existing on its own' }) @IsUUID() sourceCustomerId: string;
}

export class ListCustomersQuery {
  @ApiPropertyOptional({ description: 'name, email or phone; Persian/Arabic letter forms and digits match either way' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
