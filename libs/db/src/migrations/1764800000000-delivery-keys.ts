import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two more keys the platform holds for itself: one signs download links (a link is its own
 * credential until it expires), one derives each licence's canary rows in delivered files.
 */
export class DeliveryKeys1764800000000 implements MigrationInterface {
  name = 'DeliveryKeys1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO platform_keys (name, key) VALUES ('download-link', $1), ('fingerprint', $2) ON CONFLICT (name) DO NOTHING`, [randomBytes(32), randomBytes(32)]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM platform_keys WHERE name IN ('download-link', 'fingerprint')`);
  }
}
