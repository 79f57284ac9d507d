import type { OrganizationKind, Role } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { Membership, Organization, User } from '../entities/index.js';
import { hashPassword } from '../password-hasher.js';

/** Demo password of every demo user. Seeded only in demo mode; documented in the README. */
export const DEMO_PASSWORD = 'Demo-pass-2026';

interface DemoOrganization {
  slug: string;
  name: string;
  kind: OrganizationKind;
  users: Array<{ email: string; displayName: string; role: Role; locale?: string }>;
}

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    slug: 'platform-ops',
    name: '城市数据平台运营中心 Platform Operations',
    kind: 'platform',
    users: [
      { email: 'admin@platform.demo', displayName: '平台管理员 Platform Admin', role: 'platform_admin' },
      { email: 'supervisor@platform.demo', displayName: '监督员 Supervisor', role: 'supervisor' },
    ],
  },
  {
    slug: 'transport-bureau',
    name: '市交通运输局 Municipal Transport Bureau',
    kind: 'agency',
    users: [{ email: 'steward@transport.demo', displayName: '交通数据专员 Transport Steward', role: 'steward' }],
  },
  {
    slug: 'ecology-bureau',
    name: '市生态环境局 Ecology and Environment Bureau',
    kind: 'agency',
    users: [{ email: 'steward@ecology.demo', displayName: '环境数据专员 Ecology Steward', role: 'steward' }],
  },
  {
    slug: 'meteorology-bureau',
    name: '市气象局 Meteorological Bureau',
    kind: 'agency',
    users: [{ email: 'steward@weather.demo', displayName: '气象数据专员 Weather Steward', role: 'steward' }],
  },
  {
    slug: 'statistics-bureau',
    name: '市统计局 Statistics Bureau',
    kind: 'agency',
    users: [{ email: 'steward@stats.demo', displayName: '统计数据专员 Statistics Steward', role: 'steward' }],
  },
  {
    slug: 'energy-bureau',
    name: '市能源局 Municipal Energy Bureau',
    kind: 'agency',
    users: [{ email: 'steward@energy.demo', displayName: '能源数据专员 Energy Steward', role: 'steward' }],
  },
  {
    slug: 'housing-bureau',
    name: '市住房和建设局 Housing and Construction Bureau',
    kind: 'agency',
    users: [{ email: 'steward@housing.demo', displayName: '住建数据专员 Housing Steward', role: 'steward' }],
  },
  {
    slug: 'tourism-bureau',
    name: '市文化广电旅游局 Culture and Tourism Bureau',
    kind: 'agency',
    users: [{ email: 'steward@tourism.demo', displayName: '文旅数据专员 Tourism Steward', role: 'steward' }],
  },
  {
    slug: 'health-commission',
    name: '市卫生健康委员会 Health Commission',
    kind: 'agency',
    users: [{ email: 'steward@health.demo', displayName: '卫健数据专员 Health Steward', role: 'steward' }],
  },
  {
    slug: 'cityflow-analytics',
    name: '城流数据科技 CityFlow Analytics',
    kind: 'vendor',
    users: [{ email: 'vendor@cityflow.demo', displayName: '城流产品经理 CityFlow Admin', role: 'vendor_admin', locale: 'en' }],
  },
  {
    slug: 'greengrid-insights',
    name: '绿网洞察 GreenGrid Insights',
    kind: 'vendor',
    users: [{ email: 'vendor@greengrid.demo', displayName: '绿网管理员 GreenGrid Admin', role: 'vendor_admin' }],
  },
  {
    slug: 'harbor-logistics',
    name: '港湾物流 Harbor Logistics',
    kind: 'enterprise',
    users: [
      { email: 'buyer@harbor.demo', displayName: '港湾采购主管 Harbor Buyer Admin', role: 'buyer_admin', locale: 'en' },
      { email: 'member@harbor.demo', displayName: '港湾分析师 Harbor Analyst', role: 'buyer_member' },
    ],
  },
  {
    slug: 'sunrise-insurance',
    name: '朝阳保险 Sunrise Insurance',
    kind: 'enterprise',
    users: [{ email: 'buyer@sunrise.demo', displayName: '朝阳数据主管 Sunrise Buyer Admin', role: 'buyer_admin' }],
  },
  {
    slug: 'finance-bureau',
    name: '市财政局 Municipal Finance Bureau',
    kind: 'finance',
    users: [{ email: 'analyst@finance.demo', displayName: '财政分析员 Finance Analyst', role: 'finance_analyst' }],
  },
];

export interface SeedResult {
  organizationsCreated: number;
  usersCreated: number;
}

/**
 * Deterministic, idempotent demo data: organizations by slug, users by email,
 * memberships by (organization, user). Re-running changes nothing.
 */
export async function seedDemo(dataSource: DataSource, password = DEMO_PASSWORD): Promise<SeedResult> {
  const passwordHash = await hashPassword(password);
  return dataSource.transaction(async (manager) => {
    let organizationsCreated = 0;
    let usersCreated = 0;
    for (const demo of DEMO_ORGANIZATIONS) {
      let organization = await manager.findOne(Organization, { where: { slug: demo.slug } });
      if (!organization) {
        organization = await manager.save(manager.create(Organization, { slug: demo.slug, name: demo.name, kind: demo.kind, status: 'active' }));
        organizationsCreated += 1;
      }
      for (const demoUser of demo.users) {
        let user = await manager.findOne(User, { where: { email: demoUser.email } });
        if (!user) {
          user = await manager.save(
            manager.create(User, { email: demoUser.email, displayName: demoUser.displayName, passwordHash, locale: demoUser.locale ?? 'zh-CN' }),
          );
          usersCreated += 1;
        }
        await manager
          .createQueryBuilder()
          .insert()
          .into(Membership)
          .values({ organizationId: organization.id, userId: user.id, role: demoUser.role })
          .orIgnore()
          .execute();
      }
    }
    return { organizationsCreated, usersCreated };
  });
}
