import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PriceCapRecord } from '@civic/db';
import { DomainError } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/principal.js';
import type { PriceCapDto, UpsertPriceCapDto } from './dto/licensing.dto.js';

/** Public-data pricing rules: the platform's caps per theme and/or classification (public to read). */
@Injectable()
export class PriceCapsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<PriceCapDto[]> {
    const caps = await this.dataSource.manager.find(PriceCapRecord, { order: { active: 'DESC', classification: 'ASC', theme: 'ASC', createdAt: 'ASC' } });
    return caps.map(toDto);
  }

  async create(actor: Actor, input: UpsertPriceCapDto): Promise<PriceCapDto> {
    assertLimits(input);
    const cap = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(PriceCapRecord, { ...limitsOf(input), note: input.note ?? '', active: input.active ?? true, createdByUserId: actor.principal?.userId ?? null }),
      );
      await this.audit.record(manager, actor, { action: 'price_cap.created', targetType: 'price_cap', targetId: saved.id, data: { ...input } });
      return saved;
    });
    return toDto(cap);
  }

  async update(actor: Actor, id: string, input: UpsertPriceCapDto): Promise<PriceCapDto> {
    assertLimits(input);
    await this.dataSource.transaction(async (manager) => {
      const cap = await manager.findOne(PriceCapRecord, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!cap) throw new DomainError('pricing.cap_not_found', 'Price cap not found.');
      await manager.update(
        PriceCapRecord,
        { id },
        { ...limitsOf(input), note: input.note ?? cap.note, active: input.active ?? cap.active, updatedAt: new Date() } as never,
      );
      await this.audit.record(manager, actor, { action: 'price_cap.updated', targetType: 'price_cap', targetId: id, data: { ...input } });
    });
    return toDto(await this.dataSource.manager.findOneByOrFail(PriceCapRecord, { id }));
  }
}

/** What a cap applies to and its limits; an omitted limit is no limit. */
function limitsOf(input: UpsertPriceCapDto) {
  return {
    theme: input.theme ?? null,
    classification: input.classification ?? null,
    currency: input.currency,
    maxOneTime: input.maxOneTime ?? null,
    maxMonthly: input.maxMonthly ?? null,
    maxPerUnit: input.maxPerUnit ? { ...input.maxPerUnit } : null,
  };
}

function assertLimits(input: UpsertPriceCapDto): void {
  if (input.maxOneTime === undefined && input.maxMonthly === undefined && input.maxPerUnit === undefined) {
    throw new DomainError('request.invalid', 'A cap needs at least one limit.', [{ field: 'maxOneTime', messages: ['set maxOneTime, maxMonthly or maxPerUnit'] }]);
  }
}

function toDto(cap: PriceCapRecord): PriceCapDto {
  return {
    id: cap.id,
    theme: cap.theme as PriceCapDto['theme'],
    classification: cap.classification,
    currency: cap.currency,
    maxOneTime: cap.maxOneTime,
    maxMonthly: cap.maxMonthly,
    maxPerUnit: cap.maxPerUnit,
    note: cap.note,
    active: cap.active,
    updatedAt: cap.updatedAt.toISOString(),
  };
}
