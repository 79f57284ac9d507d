import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, hasPermission, type ApiKeyScope } from '@civic/domain';
import { PrincipalService } from '../identity/principal.service.js';
import { ACCESS_METADATA, type AccessRule, type CivicRequest } from './access.decorators.js';
import type { Principal } from './principal.js';

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
    // Refusals are made only when refusing (an Error captures a stack trace, which costs on every
    // request otherwise), and each names what the caller lacks, so that it can be put right.
    switch (rule.type) {
      case 'authenticated':
        if (principal.kind === 'api_key' && !rule.allowApiKey) {
          throw new DomainError('auth.forbidden', 'API keys cannot call this route: sign in as a user instead.', { apiKeyAllowed: false, requires: 'user' });
        }
        return true;
      case 'permissions':
        if (principal.kind === 'api_key' && rule.apiKeyScopes) {
          this.checkScopes(principal, rule.apiKeyScopes);
          return true;
        }
        if (principal.kind !== 'user') {
          throw new DomainError(
            'auth.forbidden',
            `API keys cannot call this route, whatever their scopes: it needs a signed-in user with ${named('permission', rule.permissions)}.`,
            { apiKeyAllowed: false, requires: 'user', requiredPermissions: rule.permissions, missingPermissions: rule.permissions },
          );
        }
        if (!hasPermission(principal.permissions, rule.permissions)) {
          const missing = rule.permissions.filter((permission) => !principal.permissions.includes(permission));
          const inactive = principal.organizationStatus !== 'active';
          throw new DomainError(
            'auth.forbidden',
            inactive
              ? `Your organization is ${principal.organizationStatus}: until it is active it lacks ${named('permission', missing)} needed here.`
              : `Your role lacks ${named('permission', missing)} needed here.`,
            { requiredPermissions: rule.permissions, missingPermissions: missing, ...(inactive ? { organizationStatus: principal.organizationStatus } : {}) },
          );
        }
        return true;
      case 'scopes':
        if (principal.kind === 'api_key') this.checkScopes(principal, rule.scopes);
        if (principal.kind === 'user' && principal.organizationStatus !== 'active') {
          throw new DomainError('auth.forbidden', `Your organization is ${principal.organizationStatus}: it can do this once it is active.`, { organizationStatus: principal.organizationStatus });
        }
        return true;
    }
  }

  /** Refuses an API key that lacks any of `scopes`, naming what it lacks. */
  private checkScopes(principal: Principal, scopes: readonly ApiKeyScope[]): void {
    const missing = scopes.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length === 0) return;
    throw new DomainError('auth.forbidden', `This API key lacks ${named('scope', missing)} needed here; create a key with ${missing.length === 1 ? 'that scope' : 'those scopes'}.`, {
      requiredScopes: scopes,
      missingScopes: missing,
      keyScopes: principal.scopes,
    });
  }
}

/** "the scope data:read", "the permissions a, b". */
function named(kind: 'scope' | 'permission', items: readonly string[]): string {
  return `the ${kind}${items.length === 1 ? '' : 's'} ${items.join(', ')}`;
}
