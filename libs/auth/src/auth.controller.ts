import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ParseId, Principal, Public } from '@pasokh/common';
import { AuthService } from './auth.service';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto, LoginDto, LoginResponseDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(body.email, body.password);
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.auth.logout(principal);
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/tokens')
export class ApiTokensController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: ApiTokenDto[] }> {
    return { items: await this.auth.listApiTokens(principal) };
  }

  /** An API token for integrations; it acts as the agent who created it, with that agent's role. */
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.auth.createApiToken(principal, body.name);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string): Promise<void> {
    return this.auth.revokeApiToken(principal, id);
  }
}
