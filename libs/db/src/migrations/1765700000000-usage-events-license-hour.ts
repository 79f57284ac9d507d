import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `usage_events`' licence index keys each event by its licence and UTC hour (`date_bin`), not
 * its exact time: a licence's events of one hour share one key, which B-tree deduplication keeps
 * as one posting list, so the index grows and splits far less as events arrive. It serves what it
 * is for, the partial hours at the ends of a licence's period: the hours' entries, then the exact
 * bounds on the rows (see `licenseEventsWhere`).
 */
export class UsageEventsLicenseHour1765700000000 implements MigrationInterface {
  name = 'UsageEventsLicenseHour1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX usage_events_license;
      CREATE INDEX usage_events_license ON usage_events (license_id, date_bin('1 hour', occurred_at, timestamptz '2000-01-01 00:00:00+00')) WHERE license_id IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX usage_events_license;
      CREATE INDEX usage_events_license ON usage_events (license_id, occurred_at) WHERE license_id IS NOT NULL;
    `);
  }
}
