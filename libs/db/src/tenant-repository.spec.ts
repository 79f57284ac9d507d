import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';
import { ApiKey, Organization } from './entities/index.js';
import { TenantRepository } from './tenant-repository.js';

describe('TenantRepository', () => {
  let dataSource: DataSource;
  let keys: TenantRepository<ApiKey>;
  let mine: Organization;
  let theirs: Organization;

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
    await dataSource.initialize();
    keys = new TenantRepository(dataSource.manager, ApiKey);
    const suffix = Math.random().toString(36).slice(2, 8);
    [mine, theirs] = await dataSource.manager.save([
      dataSource.manager.create(Organization, { slug: `mine-${suffix}`, name: 'Mine', kind: 'enterprise', status: 'active' }),
      dataSource.manager.create(Organization, { slug: `theirs-${suffix}`, name: 'Theirs', kind: 'enterprise', status: 'active' }),
    ]);
  });

  afterAll(() => dataSource?.destroy());

  const insert = (organizationId: string, name: string) =>
    keys.insert({ organizationId }, { name, prefix: `cdm_${Math.random().toString(36).slice(2, 10).padEnd(8, 'x')}`, keyHash: 'h', scopes: ['data:read'] });

  it('sees only its own tenant, even when the caller asks for another', async () => {
    const own = await insert(mine.id, 'own key');
    const foreign = await insert(theirs.id, 'foreign key');
    expect((await keys.find({ organizationId: mine.id })).map((key) => key.id)).toEqual([own.id]);
    expect(await keys.findOne({ organizationId: mine.id }, { id: foreign.id })).toBeNull();
    // A where clause naming another tenant is overridden, not obeyed.
    expect(await keys.find({ organizationId: mine.id }, { organizationId: theirs.id } as never)).toHaveLength(1);
  });

  it('cannot update, move or delete another tenant’s rows', async () => {
    const foreign = await insert(theirs.id, 'untouchable');
    expect(await keys.update({ organizationId: mine.id }, { id: foreign.id }, { name: 'hijacked' })).toBe(0);
    expect(await keys.delete({ organizationId: mine.id }, { id: foreign.id })).toBe(0);
    const own = await insert(mine.id, 'movable?');
    await keys.update({ organizationId: mine.id }, { id: own.id }, { organizationId: theirs.id, name: 'renamed' } as never);
    const reloaded = await dataSource.manager.findOneByOrFail(ApiKey, { id: own.id });
    expect(reloaded).toMatchObject({ organizationId: mine.id, name: 'renamed' });
    expect(await dataSource.manager.findOneByOrFail(ApiKey, { id: foreign.id })).toMatchObject({ name: 'untouchable' });
  });

  it('refuses to run without a scope', async () => {
    expect(() => keys.find(undefined as never)).toThrow(/without a tenant scope/);
    expect(() => keys.find({ organizationId: '' })).toThrow(/without a tenant scope/);
  });
});
