import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.js';
import { Membership, Organization, User } from '../entities/index.js';
import { notifyOrganization } from './notify-organization.js';

describe('notifyOrganization', () => {
  let dataSource: DataSource;
  let organization: Organization;
  let admin: User;
  let member: User;
  const suffix = Math.random().toString(36).slice(2, 8);
  const product = { titleZh: '道路拥堵指数', titleEn: 'Road congestion index' };

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
    await dataSource.initialize();
    const manager = dataSource.manager;
    organization = await manager.save(manager.create(Organization, { slug: `notify-${suffix}`, name: 'Notify Ltd', kind: 'vendor', status: 'active' }));
    [admin, member] = await manager.save([
      manager.create(User, { email: `admin-${suffix}@example.test`, displayName: 'Admin', passwordHash: 'x' }),
      manager.create(User, { email: `member-${suffix}@example.test`, displayName: 'Member', passwordHash: 'x' }),
    ]);
    await manager.save([
      manager.create(Membership, { organizationId: organization.id, userId: admin.id, role: 'vendor_admin' }),
      manager.create(Membership, { organizationId: organization.id, userId: member.id, role: 'buyer_member' }),
    ]);
  });

  afterAll(() => dataSource?.destroy());

  const notices = (userId: string) =>
    dataSource.query(`SELECT n.kind, n.subject_zh, n.subject_en, n.target_type, n.target_id, n.organization_id, n.read_at, o.recipient FROM notifications n JOIN outbox_messages o ON o.id = n.outbox_message_id WHERE n.user_id = $1 ORDER BY n.created_at`, [userId]);

  it('mails each administrator and puts the notice in their inbox for that organization, once', async () => {
    const target = { type: 'product' as const, id: '3f2b8c1e-9a4d-4e2f-8b7a-1c2d3e4f5a6b' };
    const notice = { kind: 'product.rejected', reference: `p:${suffix}`, subject: { kind: 'product.rejected' as const, product }, target, body: { reason: 'Describe the method.' } };
    const ids = await dataSource.transaction((manager) => notifyOrganization(manager, organization.id, notice));
    expect(ids).toHaveLength(1);
    const [outbox] = await dataSource.query(`SELECT recipient, subject, body FROM outbox_messages WHERE id = $1`, [ids[0]]);
    expect(outbox).toEqual({ recipient: admin.email, subject: '退回修改：道路拥堵指数 / Sent back for changes: Road congestion index', body: { reason: 'Describe the method.' } });
    expect(await notices(admin.id)).toEqual([
      {
        kind: 'product.rejected',
        subject_zh: '退回修改：道路拥堵指数',
        subject_en: 'Sent back for changes: Road congestion index',
        target_type: 'product',
        target_id: target.id,
        organization_id: organization.id,
        read_at: null,
        recipient: admin.email,
      },
    ]);
    // Members who do not act on notices get neither.
    expect(await notices(member.id)).toEqual([]);

    // Written again (a retried job): nothing more is sent or shown.
    expect(await dataSource.transaction((manager) => notifyOrganization(manager, organization.id, notice))).toEqual([]);
    expect(await notices(admin.id)).toHaveLength(1);
  });

  it('mails but never shows a kind that carries a secret', async () => {
    const ids = await dataSource.transaction((manager) =>
      notifyOrganization(manager, organization.id, { kind: 'invitation', reference: `i:${suffix}`, subject: { kind: 'invitation', organizationName: 'Notify Ltd' }, target: null, body: { acceptUrl: 'https://example.test/invite/secret' } }),
    );
    expect(ids).toHaveLength(1);
    expect((await notices(admin.id)).map((row: { kind: string }) => row.kind)).not.toContain('invitation');
  });
});
