import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, hasPermission } from '@civic/domain';
import { PrincipalService } from '../identity/principal.service.js';
import { ACCESS_METADATA, type AccessRule, type CivicRequest } from './access.decorators.js';

/** Global guard: authenticates the caller and enforces the route's declared access rule. */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<CivicRequest>();
    if (!rule) {
      // Deny by default: a route that forgot to declare access is a bug, not an open door.
      this.logger.error(`route without an access rule: ${request.method} ${request.url}`);
      throw new DomainError('auth.forbidden', 'You are not allowed to do this.');
    }
    if (rule.type === 'public') {
      request.principal = (await this.principals.fromHeaders(request.headers).catch(() => null)) ?? undefined;
      return true;
    }
    const principal = await this.principals.fromHeaders(request.headers);
    if (!principal) throw new DomainError('auth.unauthenticated', 'Sign in or send an API key.');
    request.principal = principal;
    // Made only when refusing: an Error captures a stack trace, which costs on every request otherwise.
    const forbidden = () => new DomainError('auth.forbidden', 'You are not allowed to do this.');
    switch (rule.type) {
      case 'authenticated':
        if (principal.kind === 'api_key' && !rule.allowApiKey) throw forbidden();
        return true;
      case 'permissions':
        if (principal.kind !== 'user' || !hasPermission(principal.permissions, rule.permissions)) throw forbidden();
        return true;
      case 'scopes':
        if (principal.kind === 'api_key' && !rule.scopes.every((scope) => principal.scopes.includes(scope))) throw forbidden();
        if (principal.kind === 'user' && principal.organizationStatus !== 'active') throw forbidden();
        return true;
    }
  }
}
