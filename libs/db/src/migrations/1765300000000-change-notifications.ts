import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change notifications for the API's in-memory caches of API keys, organizations, licences and
 * products (the data API's hot path): any change to a row those caches hold sends
 * `NOTIFY civic_changes, '<table>'` in the writing transaction, so every API process drops its
 * copies when the change commits — whoever made it (the API, the worker, SQL by hand). A key's
 * `last_used_at` is bookkeeping, not a change. One notification per table and transaction
 * (PostgreSQL folds identical ones).
 */
export class ChangeNotifications1765300000000 implements MigrationInterface {
  name = 'ChangeNotifications1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION civic_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('civic_changes', TG_TABLE_NAME);
        RETURN NULL;
      END $$;

      CREATE TRIGGER api_keys_changed AFTER UPDATE ON api_keys FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.scopes IS DISTINCT FROM NEW.scopes
          OR OLD.key_hash IS DISTINCT FROM NEW.key_hash OR OLD.prefix IS DISTINCT FROM NEW.prefix OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
        EXECUTE FUNCTION civic_notify_change();
      CREATE TRIGGER api_keys_removed AFTER DELETE OR TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION civic_notify_change();
      CREATE TRIGGER organizations_changed AFTER UPDATE OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION civic_notify_change();
      CREATE TRIGGER licenses_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licenses FOR EACH STATEMENT EXECUTE FUNCTION civic_notify_change();
      CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products FOR EACH STATEMENT EXECUTE FUNCTION civic_notify_change();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER products_changed ON products;
      DROP TRIGGER licenses_changed ON licenses;
      DROP TRIGGER organizations_changed ON organizations;
      DROP TRIGGER api_keys_removed ON api_keys;
      DROP TRIGGER api_keys_changed ON api_keys;
      DROP FUNCTION civic_notify_change();
    `);
  }
}
