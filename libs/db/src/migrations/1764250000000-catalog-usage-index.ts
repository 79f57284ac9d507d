import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage analytics read a dataset's deliveries over a period and group them by bucket, kind and
 * receiving organization. The index on (dataset_id, delivered_at) found the rows but each one
 * cost a heap visit (a popular dataset's deliveries are spread over the whole table); carrying
 * the grouped columns lets PostgreSQL answer from the index alone (an index-only scan, the
 * table being append-only keeps its visibility map set). It replaces the narrower index.
 */
export class CatalogUsageIndex1764250000000 implements MigrationInterface {
  name = 'CatalogUsageIndex1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX ix_dataset_deliveries_usage ON dataset_deliveries (dataset_id, delivered_at) INCLUDE (channel, format, organization_id, rows);
      DROP INDEX ix_dataset_deliveries_dataset;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX ix_dataset_deliveries_dataset ON dataset_deliveries (dataset_id, delivered_at DESC);
      DROP INDEX ix_dataset_deliveries_usage;
    `);
  }
}
