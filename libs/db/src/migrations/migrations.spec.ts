import { createDataSource, pendingMigrations, runMigrations } from '../data-source.js';
import { DEMO_ORGANIZATIONS, seedDemo } from '../seed/demo-seed.js';
import { createTestDatabase } from '../testing/test-database.js';
import { MIGRATIONS } from './index.js';

describe('migrations and seed', () => {
  it('apply, revert completely, re-apply, and seed idempotently', async () => {
    const database = await createTestDatabase('t_migrations');
    const dataSource = createDataSource({ url: database.url, poolSize: 2 });
    await dataSource.initialize();
    try {
      expect(await pendingMigrations(dataSource)).toEqual([]);
      expect(await runMigrations(dataSource)).toEqual([]);
      for (let index = 0; index < MIGRATIONS.length; index += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      const tables: Array<{ tablename: string }> = await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
      expect(tables).toEqual([]);
      expect(await pendingMigrations(dataSource)).toHaveLength(MIGRATIONS.length);
      expect(await runMigrations(dataSource)).toHaveLength(MIGRATIONS.length);

      const users = DEMO_ORGANIZATIONS.flatMap((organization) => organization.users).length;
      expect(await seedDemo(dataSource, 'a-test-password')).toEqual({ organizationsCreated: DEMO_ORGANIZATIONS.length, usersCreated: users });
      expect(await seedDemo(dataSource, 'a-test-password')).toEqual({ organizationsCreated: 0, usersCreated: 0 });
      const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM memberships');
      expect(count).toBe(users);
    } finally {
      await dataSource.destroy();
      await database.dispose();
    }
  });
});
