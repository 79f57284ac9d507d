import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { appendAuditEvent, AuditEvent, auditTargetLabels, verifyAuditChain, type AuditTargetLabel, type ChainVerification } from '@civic/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestOrigin } from '../common/principal.js';

export interface AuditEntry {
  action: string;
  /** The tenant the event concerns; defaults to the actor's organization. */
  organizationId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  data?: Record<string, unknown>;
  /** For events without a signed-in principal (e.g. a login): who acted. */
  actorUserId?: string | null;
  actorOrganizationId?: string | null;
}

/** An event with the names a reader needs (emails and organization names change; ids do not). */
export type AuditListItem = AuditEvent & { actorEmail: string | null; organizationName: string | null; targetLabel: AuditTargetLabel | null };

export interface AuditQuery {
  action?: string;
  organizationId?: string;
  actorUserId?: string;
  actorEmail?: string;
  from?: Date;
  to?: Date;
  before?: number;
  limit: number;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an event inside the caller's transaction: it commits with the action or not at all. */
  record(manager: EntityManager, actor: Actor | RequestOrigin, entry: AuditEntry): Promise<AuditEvent> {
    const principal = 'principal' in actor ? actor.principal : null;
    return appendAuditEvent(manager, {
      action: entry.action,
      actorUserId: entry.actorUserId ?? principal?.userId ?? null,
      actorOrganizationId: entry.actorOrganizationId ?? principal?.organizationId ?? null,
      organizationId: entry.organizationId === undefined ? (principal?.organizationId ?? null) : entry.organizationId,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: actor.ip,
      requestId: actor.requestId,
      data: entry.data,
    });
  }

  /** Records an event in a transaction of its own (for events not tied to another write). */
  recordAlone(actor: Actor | RequestOrigin, entry: AuditEntry): Promise<AuditEvent> {
    return this.dataSource.transaction((manager) => this.record(manager, actor, entry));
  }

  async list(query: AuditQuery): Promise<{ items: AuditListItem[]; nextCursor: number | null }> {
    const builder = this.dataSource
      .createQueryBuilder(AuditEvent, 'e')
      .leftJoin('users', 'u', 'u.id = e.actor_user_id')
      .leftJoin('organizations', 'o', 'o.id = e.organization_id')
      .addSelect('u.email', 'actor_email')
      .addSelect('o.name', 'organization_name')
      .orderBy('e.seq', 'DESC')
      .limit(query.limit + 1);
    // An action filter also matches its family: "api_key" finds api_key.created and api_key.revoked.
    if (query.action) {
      const family = `${query.action.replace(/[\\%_]/g, (character) => `\\${character}`)}.%`;
      builder.andWhere("(e.action = :action OR e.action LIKE :family ESCAPE '\\')", { action: query.action, family });
    }
    if (query.actorEmail) builder.andWhere('u.email = :actorEmail', { actorEmail: query.actorEmail });
    if (query.organizationId) builder.andWhere('e.organization_id = :org', { org: query.organizationId });
    if (query.actorUserId) builder.andWhere('e.actor_user_id = :actor', { actor: query.actorUserId });
    if (query.from) builder.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) builder.andWhere('e.occurred_at < :to', { to: query.to });
    if (query.before) builder.andWhere('e.seq < :before', { before: query.before });
    const { entities, raw } = await builder.getRawAndEntities();
    const page = entities.slice(0, query.limit);
    const labels = await auditTargetLabels(this.dataSource, page);
    const items = page.map((entity, index) => ({
      ...entity,
      actorEmail: (raw[index]?.actor_email as string | null) ?? null,
      organizationName: (raw[index]?.organization_name as string | null) ?? null,
      targetLabel: (entity.targetType && entity.targetId && labels.get(`${entity.targetType}:${entity.targetId.toLowerCase()}`)) || null,
    }));
    const nextCursor = entities.length > query.limit ? items[items.length - 1].seq : null;
    return { items, nextCursor };
  }

  verify(): Promise<ChainVerification> {
    return verifyAuditChain(this.dataSource.manager);
  }
}
