import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { gatePlanFor, ProductInput, resolveProductInputs, sandboxColumns, type InputDetails, type Product } from '@civic/db';
import { applyGateToRows, DomainError } from '@civic/domain';
import { DerivationSandbox, isDeriveError } from '@civic/derive';
import type { ObjectStore } from '@civic/storage';
import type { DataSource } from 'typeorm';
import { OBJECT_STORE } from '../catalog/object-store.provider.js';
import type { Principal } from '../common/principal.js';
import type { DryRunDto, DryRunResultDto } from './dto/products.dto.js';
import { requireUsable } from './products.service.js';

/** Rows of each input a dry run reads, and its limits: a preview, not a run. */
const SAMPLE_ROWS = 1000;
const PREVIEW_ROWS = 50;
const DRY_RUN_TIMEOUT_MS = 10_000;

/**
 * Dry runs for the SQL editor: validation, then the query over the first rows of each input in
 * the same sandbox the derive flow uses, returning the output's schema, a few rows, and what the
 * privacy gate will check. Nothing is saved; the vendor's mistakes come back as 400s with
 * DuckDB's message and position.
 */
@Injectable()
export class DerivationSandboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  async dryRun(principal: Principal, product: Product, input: DryRunDto): Promise<DryRunResultDto> {
    const sql = input.sql ?? product.sql;
    const declared = input.inputs
      ? input.inputs.map((spec, position) => ({ name: spec.name, position, weight: spec.weight ?? 1, datasetId: spec.datasetId ?? null, sourceProductId: spec.productId ?? null }))
      : await this.dataSource.manager.find(ProductInput, { where: { productId: product.id }, order: { position: 'ASC' } });
    // Unsaved inputs must exist and be visible to the caller; saved ones were checked when saved
    // (and what became of them since — withdrawn, a grant revoked — is said by requireUsable).
    if (input.inputs) await this.checkDeclared(principal, declared);
    const inputs = await resolveProductInputs(this.dataSource.manager, principal.organizationId, declared);
    requireUsable(inputs);
    try {
      const preview = await this.sample(inputs, sql);
      const { classified, plan } = gatePlanFor(inputs, preview.outputs);
      // The preview shows only what the privacy gate would let through. Measured on a sample, the
      // gate is stricter than on the whole output (groups and counts can only grow), never weaker.
      const gated = applyGateToRows(preview.rows, plan);
      return {
        inputsUsed: preview.inputsUsed,
        columns: preview.columns.map((column, index) => {
          const output = classified[index];
          return {
            name: column.name,
            type: column.type,
            sensitivity: output?.sensitivity ?? 'personal',
            role: output?.role ?? null,
            sources: [...(preview.outputs[index]?.sources ?? [])],
          };
        }),
        rows: gated.rows as DryRunResultDto['rows'],
        rowsWithheld: preview.rows.length - gated.rows.length,
        sampleRows: SAMPLE_ROWS,
        gatePlan: { ...plan },
      };
    } catch (error) {
      if (isDeriveError(error)) throw new DomainError(error.code, error.message, error.details ?? null);
      throw error;
    }
  }

  private async sample(inputs: InputDetails[], sql: string) {
    const workDir = await mkdtemp(path.join(tmpdir(), 'civic-dry-run-'));
    const copies = await Promise.all(inputs.map((detail) => this.store.localCopy(detail.parquetKey!, workDir)));
    try {
      const [key] = await this.dataSource.query(`SELECT key FROM platform_keys WHERE name = 'pseudonym'`);
      const pseudonymKey = (key.key as Buffer).toString('hex');
      const sandbox = new DerivationSandbox({
        inputs: inputs.map((detail, index) => ({ name: detail.name, parquetPath: copies[index]!.path, columns: sandboxColumns(detail), pseudonymKey })),
        workDir,
        memoryLimit: '512MB',
        threads: 1,
        timeoutMs: DRY_RUN_TIMEOUT_MS,
        isolation: 'staged',
        // As in the derive flow: every declared input must be read (each is credited in the lineage).
        requireAllInputs: true,
      });
      return await sandbox.dryRun(sql, { sampleRows: SAMPLE_ROWS, maxRows: PREVIEW_ROWS });
    } finally {
      await Promise.all(copies.map((copy) => copy.release()));
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** A dry run may try inputs other than the saved ones: they must exist and be visible to the caller. */
  private async checkDeclared(principal: Principal, declared: ReadonlyArray<{ datasetId: string | null; sourceProductId: string | null }>): Promise<void> {
    const datasetIds = declared.flatMap((row) => (row.datasetId ? [row.datasetId] : []));
    const productIds = declared.flatMap((row) => (row.sourceProductId ? [row.sourceProductId] : []));
    const [[datasets], [products]] = await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS n FROM datasets WHERE id = ANY($1) AND (status = 'published' OR organization_id = $2)`, [datasetIds, principal.organizationId]),
      this.dataSource.query(`SELECT count(*)::int AS n FROM products WHERE id = ANY($1) AND (status = 'published' OR organization_id = $2)`, [productIds, principal.organizationId]),
    ]);
    if (datasets.n !== new Set(datasetIds).size || products.n !== new Set(productIds).size) {
      throw new DomainError('product.input_not_found', 'An input does not exist or is not published.', [{ field: 'inputs', messages: ['unknown dataset or product'] }]);
    }
  }
}
