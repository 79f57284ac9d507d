import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { ApiKeyScope, Permission } from '@civic/domain';
import type { FastifyRequest } from 'fastify';
import type { Actor, Principal } from './principal.js';

export const ACCESS_METADATA = 'civic:access';

/**
 * Every route declares who may call it; the guard denies routes that declare nothing.
 * - public: anyone
 * - authenticated: any signed-in user (optionally also API keys)
 * - permissions: a user whose role grants all of them; with `apiKeyScopes`, also an API key
 *   carrying all of those
 * - scopes: an API key carrying all of them (or a user; users are not scope-limited)
 */
export type AccessRule =
  | { type: 'public' }
  | { type: 'authenticated'; allowApiKey: boolean }
  | { type: 'permissions'; permissions: Permission[]; apiKeyScopes?: ApiKeyScope[] }
  | { type: 'scopes'; scopes: ApiKeyScope[] };

export const Public = () => SetMetadata(ACCESS_METADATA, { type: 'public' } satisfies AccessRule);

export const Authenticated = (options: { allowApiKey?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { type: 'authenticated', allowApiKey: options.allowApiKey ?? false } satisfies AccessRule),
    ApiBearerAuth(),
    ...(options.allowApiKey ? [ApiSecurity('apiKey')] : []),
  );

export const RequirePermissions = (...permissions: Permission[]) =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { type: 'permissions', permissions } satisfies AccessRule), ApiBearerAuth());

/** A user whose role grants `permissions`, or an API key carrying `scopes`. */
export const RequirePermissionsOrScopes = (permissions: Permission[], scopes: ApiKeyScope[]) =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { type: 'permissions', permissions, apiKeyScopes: scopes } satisfies AccessRule), ApiBearerAuth(), ApiSecurity('apiKey'));

export const RequireScopes = (...scopes: ApiKeyScope[]) =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { type: 'scopes', scopes } satisfies AccessRule), ApiBearerAuth(), ApiSecurity('apiKey'));

export type CivicRequest = FastifyRequest & { principal?: Principal };

/** The authenticated principal (routes behind the guard always have one). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<CivicRequest>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return request.principal;
});

/** The caller on a public route: a principal when credentials came with the request, else null. */
export const OptionalPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | null => {
  return context.switchToHttp().getRequest<CivicRequest>().principal ?? null;
});

/** Principal (if any) plus client address and request id, for audited actions. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<CivicRequest>();
  return { principal: request.principal ?? null, ip: request.ip ?? null, requestId: String(request.id) };
});

export const CREDENTIAL_ROUTE_METADATA = 'civic:credential-route';

/** Marks routes that check credentials: they get the stricter `credentials` rate limit. */
export const CredentialRoute = () => SetMetadata(CREDENTIAL_ROUTE_METADATA, true);
