import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export type Role = 'agent' | 'supervisor' | 'admin';

/** Who is calling: the agent behind a session or API token. Set by the auth guard. */
export interface Principal {
  agentId: string;
  name: string;
  email: string;
  role: Role;
  tokenId: string;
  tokenKind: 'session' | 'api';
}

export const IS_PUBLIC = 'pasokh:isPublic';
export const ROLES = 'pasokh:roles';

/** No bearer token needed (login, health, provider webhooks, channel inbound with its own token). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call. Routes without it are open to every signed-in agent. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});
