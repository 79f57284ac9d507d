import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { installStandardTemplates, LicenseTemplate, Organization } from '@civic/db';
import { canonicalSha256, DomainError, parseOdrlPolicy, STANDARD_LICENSE_TEMPLATES } from '@civic/domain';
import { In, type DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import type { CreateLicenseTemplateDto, LicenseTemplateDto } from './dto/licensing.dto.js';
import { licenceText } from './license-text.js';

/**
 * Licence templates: the platform's standard ODRL templates (installed at start, one row per
 * key and version) and sellers' own. A template never changes; saving a key again makes the
 * next version, so every sold licence points at the exact policy it was sold under.
 */
@Injectable()
export class LicenseTemplatesService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await installStandardTemplates(this.dataSource);
  }

  /** Standard templates and, for a seller, its own (latest versions first). */
  async list(organizationId: string | null): Promise<LicenseTemplateDto[]> {
    const rows = await this.dataSource.manager.find(LicenseTemplate, {
      where: organizationId ? [{ standard: true }, { organizationId }] : [{ standard: true }],
      order: { standard: 'DESC', key: 'ASC', version: 'DESC' },
    });
    return this.toDtos(rows);
  }

  async get(id: string, organizationId: string | null): Promise<LicenseTemplateDto> {
    const row = await this.dataSource.manager.findOneBy(LicenseTemplate, { id });
    if (!row || (!row.standard && row.organizationId !== organizationId)) throw new DomainError('licensing.template_not_found', 'Licence template not found.');
    return (await this.toDtos([row]))[0] as LicenseTemplateDto;
  }

  async create(actor: Actor, organizationId: string, input: CreateLicenseTemplateDto): Promise<LicenseTemplateDto> {
    const policy = parseOdrlPolicy(input.policy);
    if (Object.keys(STANDARD_LICENSE_TEMPLATES).includes(input.key)) {
      throw new DomainError('licensing.template_key_reserved', `“${input.key}” is the key of a standard template; choose another.`);
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const taken = await manager.findOne(LicenseTemplate, { where: { key: input.key }, order: { version: 'DESC' }, lock: { mode: 'pessimistic_write' } });
      if (taken && taken.organizationId !== organizationId) throw new DomainError('licensing.template_key_taken', 'Another organization uses this template key.');
      const template = await manager.save(
        manager.create(LicenseTemplate, {
          key: input.key,
          version: (taken?.version ?? 0) + 1,
          standard: false,
          organizationId,
          titleZh: input.titleZh,
          titleEn: input.titleEn,
          summaryZh: input.summaryZh ?? '',
          summaryEn: input.summaryEn ?? '',
          policy: policy as unknown as Record<string, unknown>,
          policySha256: canonicalSha256(policy),
          createdByUserId: actor.principal?.userId ?? null,
        }),
      );
      await this.audit.record(manager, actor, { action: 'license_template.created', targetType: 'license_template', targetId: template.id, data: { key: template.key, version: template.version } });
      return template.id;
    });
    return this.get(id, organizationId);
  }

  /**
   * The platform's standard templates: a new key, or the next version of a standard one (offers
   * already saved keep the version they chose; the seed and new offers see the latest).
   */
  async createStandard(actor: Actor, input: CreateLicenseTemplateDto): Promise<LicenseTemplateDto> {
    const policy = parseOdrlPolicy(input.policy);
    const id = await this.dataSource.transaction(async (manager) => {
      const taken = await manager.findOne(LicenseTemplate, { where: { key: input.key }, order: { version: 'DESC' }, lock: { mode: 'pessimistic_write' } });
      if (taken && !taken.standard) throw new DomainError('licensing.template_key_taken', 'An organization uses this template key for its own template.');
      const template = await manager.save(
        manager.create(LicenseTemplate, {
          key: input.key,
          version: (taken?.version ?? 0) + 1,
          standard: true,
          organizationId: null,
          titleZh: input.titleZh,
          titleEn: input.titleEn,
          summaryZh: input.summaryZh ?? '',
          summaryEn: input.summaryEn ?? '',
          policy: policy as unknown as Record<string, unknown>,
          policySha256: canonicalSha256(policy),
          createdByUserId: actor.principal?.userId ?? null,
        }),
      );
      await this.audit.record(manager, actor, { action: 'license_template.created', targetType: 'license_template', targetId: template.id, data: { key: template.key, version: template.version, standard: true } });
      return template.id;
    });
    return this.get(id, null);
  }

  async toDtos(rows: LicenseTemplate[]): Promise<LicenseTemplateDto[]> {
    if (rows.length === 0) return [];
    const manager = this.dataSource.manager;
    const orgIds = [...new Set(rows.flatMap((row) => (row.organizationId ? [row.organizationId] : [])))];
    const [organizations, used] = await Promise.all([
      orgIds.length ? manager.find(Organization, { where: { id: In(orgIds) } }) : Promise.resolve([]),
      manager.query(`SELECT DISTINCT template_id FROM offers WHERE template_id = ANY($1)`, [rows.map((row) => row.id)]) as Promise<Array<{ template_id: string }>>,
    ]);
    const orgById = new Map(organizations.map((org) => [org.id, org]));
    const usedIds = new Set(used.map((row) => row.template_id));
    return rows.map((row) => {
      const org = row.organizationId ? orgById.get(row.organizationId) : undefined;
      return {
        id: row.id,
        key: row.key,
        version: row.version,
        standard: row.standard,
        organization: org ? { id: org.id, slug: org.slug, name: org.name } : null,
        titleZh: row.titleZh,
        titleEn: row.titleEn,
        summaryZh: row.summaryZh,
        summaryEn: row.summaryEn,
        policy: row.policy,
        policySha256: row.policySha256,
        text: licenceText(row.policy),
        used: usedIds.has(row.id),
        createdAt: row.createdAt.toISOString(),
      };
    });
  }
}
