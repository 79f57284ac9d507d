import { DeleteOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InputCandidate } from '../api/schema-types';
import { ClassificationTag } from '../catalog/catalog-tags';
import { localizedText } from '../catalog/localized-text';
import { formatCount, formatPercent } from '../components/number-format';
import { emptyDraft, inputProblems, sourceKey, weightShares, withSource, type InputDraft, type InputProblem } from './input-drafts';
import { AccessTag } from './product-tags';
import { MAX_INPUTS } from './product-vocabulary';

/**
 * The inputs of a derived product, edited as rows: the dataset or product (with how the
 * organization may use it, and why not when it may not), the name the SQL reads it by, and its
 * lineage weight. Controlled: `value` / `onChange`, so it fits in an antd Form.Item.
 */
export function InputsEditor({
  value = [],
  onChange,
  candidates,
  loading,
  showRequired = false,
}: {
  value?: InputDraft[];
  onChange?: (drafts: InputDraft[]) => void;
  candidates: readonly InputCandidate[];
  loading?: boolean;
  /** Also flag rows still empty (after a failed submit); other problems show at once. */
  showRequired?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const change = (drafts: InputDraft[]) => onChange?.(drafts);
  const update = (key: string, patch: Partial<InputDraft>) => change(value.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));
  const problems = inputProblems(value, candidates);
  const shares = weightShares(value.map((draft) => draft.weight));
  const denied = candidates.filter((candidate) => candidate.access === 'denied');

  const option = (candidate: InputCandidate) => {
    const title = localizedText(candidate.titleZh, candidate.titleEn, i18n.language);
    const chosen = value.some((draft) => draft.source === sourceKey(candidate.kind, candidate.id));
    return {
      value: sourceKey(candidate.kind, candidate.id),
      disabled: candidate.access === 'denied' || chosen,
      search: `${candidate.titleZh} ${candidate.titleEn} ${candidate.slug} ${candidate.organizationName}`.toLowerCase(),
      title: title.primary,
      label: (
        <Flex vertical gap={2} style={{ whiteSpace: 'normal', padding: '2px 0' }} data-testid={`input-option-${candidate.slug}`}>
          <Typography.Text strong={candidate.access !== 'denied'} style={{ lineHeight: 1.35 }}>
            {title.primary}
          </Typography.Text>
          <Space size={[6, 4]} wrap>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {candidate.organizationName}
            </Typography.Text>
            {candidate.classification ? <ClassificationTag classification={candidate.classification} /> : null}
            <AccessTag access={candidate.access} />
            {candidate.rowCount !== null ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('catalog.rows', { formatted: formatCount(candidate.rowCount, i18n.language) })}
              </Typography.Text>
            ) : null}
          </Space>
          {candidate.access === 'denied' ? (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {t('products.inputs.deniedWhy')}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    };
  };
  const options = [
    { label: t('products.inputs.groupDatasets'), options: candidates.filter((candidate) => candidate.kind === 'dataset').map(option) },
    { label: t('products.inputs.groupProducts'), options: candidates.filter((candidate) => candidate.kind === 'product').map(option) },
  ].filter((group) => group.options.length > 0);

  const problemTexts = (problems: InputProblem[], prefix: string) =>
    problems
      .filter((problem) => problem.startsWith(prefix))
      .map((problem) => (
        <Typography.Text key={problem} type="danger" style={{ fontSize: 12 }} data-testid={`input-problem-${problem}`}>
          {t(`products.inputs.problems.${problem}`)}
        </Typography.Text>
      ));

  // Inside a Form.Item (the create form) antd paints every control red when the item fails; here
  // each control shows its own problems only (a valid weight stays as it is), so the item's status stops here.
  return (
    <Form.Item noStyle validateStatus="">
      <Flex vertical gap={12} data-testid="inputs-editor">
        {value.map((draft, index) => {
          const rowProblems = (problems.rows[draft.key] ?? []).filter((problem) => showRequired || !problem.endsWith('_required'));
          const has = (problem: InputProblem) => rowProblems.includes(problem);
          return (
            <Card size="small" key={draft.key} data-testid="input-row" styles={{ body: { padding: 12 } }}>
              <Flex gap={12} wrap align="flex-start">
                <Flex vertical gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
                  <Typography.Text type="secondary">{t('products.inputs.source', { number: index + 1 })}</Typography.Text>
                  <Select
                    showSearch={{ filterOption: (input, candidate) => Boolean((candidate as { search?: string } | undefined)?.search?.includes(input.toLowerCase())) }}
                    value={draft.source || undefined}
                    placeholder={t('products.inputs.sourcePlaceholder')}
                    loading={loading}
                    options={options}
                    optionLabelProp="title"
                    status={has('source_required') || has('source_repeated') || has('source_denied') ? 'error' : undefined}
                    onChange={(source: string) => {
                      const candidate = candidates.find((entry) => sourceKey(entry.kind, entry.id) === source);
                      if (candidate) change(withSource(value, draft.key, candidate));
                    }}
                    popupMatchSelectWidth={false}
                    styles={{ popup: { root: { maxWidth: 'min(560px, calc(100vw - 24px))' } } }}
                    style={{ width: '100%' }}
                    aria-label={t('products.inputs.source', { number: index + 1 })}
                    data-testid={`input-source-${index}`}
                  />
                  {problemTexts(rowProblems, 'source')}
                </Flex>
                <Flex vertical gap={4} style={{ flex: '1 1 160px', minWidth: 140 }}>
                  <Typography.Text type="secondary">
                    {t('products.inputs.name')}{' '}
                    <Tooltip title={t('products.inputs.nameHint')}>
                      <QuestionCircleOutlined />
                    </Tooltip>
                  </Typography.Text>
                  <Input
                    value={draft.name}
                    maxLength={63}
                    spellCheck={false}
                    status={has('name_required') || has('name_invalid') || has('name_reserved') || has('name_repeated') ? 'error' : undefined}
                    onChange={(event) => update(draft.key, { name: event.target.value.trim(), nameSuggested: false })}
                    style={{ fontFamily: 'monospace' }}
                    aria-label={t('products.inputs.nameOf', { number: index + 1 })}
                    data-testid={`input-name-${index}`}
                  />
                  {problemTexts(rowProblems, 'name')}
                </Flex>
                <Flex vertical gap={4} style={{ flex: '0 1 150px', minWidth: 120 }}>
                  <Typography.Text type="secondary">
                    {t('products.inputs.weight')}{' '}
                    <Tooltip title={t('products.inputs.weightHint')}>
                      <QuestionCircleOutlined />
                    </Tooltip>
                  </Typography.Text>
                  {/* No min/max: antd would silently turn a 0 into 1; a weight out of range is shown as a problem instead. */}
                  <InputNumber
                    value={draft.weight}
                    precision={0}
                    status={has('weight_invalid') ? 'error' : undefined}
                    onChange={(weight) => update(draft.key, { weight: weight ?? 0 })}
                    style={{ width: '100%' }}
                    aria-label={t('products.inputs.weightOf', { number: index + 1 })}
                    data-testid={`input-weight-${index}`}
                  />
                  {has('weight_invalid') ? (
                    problemTexts(rowProblems, 'weight')
                  ) : (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`input-share-${index}`}>
                      {t('products.inputs.share', { share: formatPercent(shares[index] ?? 0, i18n.language) })}
                    </Typography.Text>
                  )}
                </Flex>
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => change(value.filter((other) => other.key !== draft.key))}
                  aria-label={t('products.inputs.remove', { number: index + 1 })}
                  data-testid={`input-remove-${index}`}
                  style={{ marginTop: 22 }}
                />
              </Flex>
            </Card>
          );
        })}
        {showRequired && problems.list === 'none' ? <Typography.Text type="danger">{t('products.inputs.problems.none')}</Typography.Text> : null}
        <div>
          <Button icon={<PlusOutlined />} onClick={() => change([...value, emptyDraft()])} disabled={value.length >= MAX_INPUTS} data-testid="input-add">
            {t('products.inputs.add')}
          </Button>
        </div>
        {denied.length > 0 ? (
          <Alert
            type="info"
            showIcon
            data-testid="inputs-denied-note"
            title={t('products.inputs.deniedTitle', { count: denied.length })}
            description={
              <>
                {t('products.inputs.deniedDescription')} <Link to="/catalog?classification=conditional">{t('products.inputs.deniedLink')}</Link>
              </>
            }
          />
        ) : null}
      </Flex>
    </Form.Item>
  );
}
