import type { EntityManager, EntityTarget, FindOptionsOrder, FindOptionsWhere, ObjectLiteral } from 'typeorm';

/** The organization a request acts for. Every read or write of tenant-owned rows needs one. */
export interface TenantScope {
  readonly organizationId: string;
}

type TenantOwned = ObjectLiteral & { organizationId: string };

/**
 * Access to a tenant-owned table that cannot forget the tenant: every method takes the
 * scope and adds `organization_id = scope.organizationId` itself, so a caller can neither
 * omit it nor override it. A row of another tenant behaves exactly like a missing row.
 */
export class TenantRepository<Entity extends TenantOwned> {
  constructor(
    private readonly manager: EntityManager,
    private readonly target: EntityTarget<Entity>,
  ) {}

  /** The same repository bound to another manager (e.g. inside a transaction). */
  withManager(manager: EntityManager): TenantRepository<Entity> {
    return new TenantRepository(manager, this.target);
  }

  private scoped(scope: TenantScope, where: FindOptionsWhere<Entity> = {}): FindOptionsWhere<Entity> {
    if (!scope?.organizationId) throw new Error('TenantRepository used without a tenant scope');
    return { ...where, organizationId: scope.organizationId } as FindOptionsWhere<Entity>;
  }

  find(scope: TenantScope, where?: FindOptionsWhere<Entity>, order?: FindOptionsOrder<Entity>, take?: number): Promise<Entity[]> {
    return this.manager.find(this.target, { where: this.scoped(scope, where), order, take });
  }

  findOne(scope: TenantScope, where: FindOptionsWhere<Entity>): Promise<Entity | null> {
    return this.manager.findOne(this.target, { where: this.scoped(scope, where) });
  }

  count(scope: TenantScope, where?: FindOptionsWhere<Entity>): Promise<number> {
    return this.manager.count(this.target, { where: this.scoped(scope, where) });
  }

  /** Inserts a new row owned by the scope's tenant. */
  async insert(scope: TenantScope, values: Omit<Partial<Entity>, 'organizationId'>): Promise<Entity> {
    const entity = this.manager.create(this.target, { ...values, organizationId: scope.organizationId } as unknown as Entity);
    return this.manager.save(this.target, entity);
  }

  /** Updates rows of the tenant matching `where`; returns how many changed. */
  async update(scope: TenantScope, where: FindOptionsWhere<Entity>, changes: Partial<Entity>): Promise<number> {
    const { organizationId: _ignored, ...safeChanges } = changes as Partial<Entity> & { organizationId?: string };
    const result = await this.manager.update(this.target, this.scoped(scope, where), safeChanges as never);
    return result.affected ?? 0;
  }

  async delete(scope: TenantScope, where: FindOptionsWhere<Entity>): Promise<number> {
    const result = await this.manager.delete(this.target, this.scoped(scope, where));
    return result.affected ?? 0;
  }
}
