import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, Role, ROLES } from '@pasokh/common';
import type { Request } from 'express';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthService } from './auth.service';

/** Global: every route needs a bearer token unless marked @Public(), and the role @Roles() names. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: unknown }>();
    const principal = await this.auth.authenticate(bearerToken(request.headers.authorization));
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new AuthException(AuthErrorCode.ROLE_REQUIRED, `this needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}
