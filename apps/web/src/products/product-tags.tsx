import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DerivationAccess, GateOutcome, OutputRole, ProductKind, ProductStatus, Run } from '../api/schema-types';
import { accessColors, gateOutcomeColors, productStatusColors, runStatusColors } from './product-vocabulary';

export function ProductStatusTag({ status }: { status: ProductStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={productStatusColors[status]} data-testid="product-status" data-value={status}>
      {t(`products.vocab.statuses.${status}`)}
    </Tag>
  );
}

/** A personal column the SQL sees only as a keyed hash: joinable and countable, never readable. */
export function PseudonymTag() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('products.inputs.pseudonymTag')}>
      <Tag color="purple" title={t('products.inputs.pseudonymTag')} data-testid="pseudonym-tag">
        {t('products.inputs.pseudonym')}
      </Tag>
    </Tooltip>
  );
}

export function ProductKindTag({ kind }: { kind: ProductKind }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`products.vocab.kindDescriptions.${kind}`)}>
      <Tag color={kind === 'base' ? 'geekblue' : 'purple'} data-testid="product-kind" data-value={kind}>
        {t(`products.vocab.kinds.${kind}`)}
      </Tag>
    </Tooltip>
  );
}

export function RunStatusTag({ run }: { run: Pick<Run, 'status'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={runStatusColors[run.status]} data-testid="run-status" data-value={run.status}>
      {t(`products.vocab.runStatuses.${run.status}`)}
    </Tag>
  );
}

export function AccessTag({ access }: { access: DerivationAccess }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`products.vocab.accessDescriptions.${access}`)}>
      <Tag color={accessColors[access]} data-testid="access-tag" data-value={access}>
        {t(`products.vocab.access.${access}`)}
      </Tag>
    </Tooltip>
  );
}

export function GateOutcomeTag({ outcome }: { outcome: GateOutcome }) {
  const { t } = useTranslation();
  return (
    <Tag color={gateOutcomeColors[outcome]} data-testid="gate-outcome" data-value={outcome}>
      {t(`products.vocab.gateOutcomes.${outcome}`)}
    </Tag>
  );
}

export function OutputRoleTag({ role }: { role: OutputRole | null }) {
  const { t } = useTranslation();
  if (!role) return null;
  return (
    <Tooltip title={t(`products.vocab.roleDescriptions.${role}`)}>
      <Tag bordered={false} data-testid="output-role" data-value={role}>
        {t(`products.vocab.roles.${role}`)}
      </Tag>
    </Tooltip>
  );
}
