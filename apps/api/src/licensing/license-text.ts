import { describePricePlan, renderLicence, type OdrlPolicy, type PricePlan } from '@civic/domain';
import type { LocalizedTextDto, RenderedLicenceDto } from './dto/licensing.dto.js';

/** A licence policy in both languages, as structured sections. */
export function licenceText(policy: unknown): RenderedLicenceDto {
  return {
    zh: renderLicence(policy as OdrlPolicy, 'zh-CN').sections,
    en: renderLicence(policy as OdrlPolicy, 'en').sections,
  };
}

/** A price plan in words, in both languages. */
export function priceText(plan: unknown): LocalizedTextDto {
  return { zh: describePricePlan(plan as PricePlan, 'zh-CN'), en: describePricePlan(plan as PricePlan, 'en') };
}
