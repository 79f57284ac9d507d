import { Button, Checkbox, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Facet, FacetField } from '../api/schema-types';
import { formatCount } from '../components/number-format';
import { collapsedFacetOptions, facetOptions, type FacetOption } from './facets';
import { facetFields, type CatalogSearchState } from './search-state';
import { classifications, isOneOf, sourceFormats, themes, updateFrequencies } from './vocabulary';

const COLLAPSED_OPTIONS = 6;

/**
 * The facet filters of the storefront: one list of checkboxes per facet, with counts. Several
 * values of a facet may be checked (any of them matches); facets combine with AND.
 */
export function FacetPanel({
  facets,
  state,
  onToggle,
  onClear,
}: {
  facets: readonly Facet[];
  state: CatalogSearchState;
  onToggle(field: FacetField, value: string, selected: boolean): void;
  onClear(field: FacetField): void;
}) {
  return (
    <Flex vertical gap={20} data-testid="facet-panel">
      {facetFields.map((field) => (
        <FacetList
          key={field}
          field={field}
          options={facetOptions(facets, field, state[field])}
          onToggle={(value, selected) => onToggle(field, value, selected)}
          onClear={() => onClear(field)}
        />
      ))}
    </Flex>
  );
}

function FacetList({
  field,
  options,
  onToggle,
  onClear,
}: {
  field: FacetField;
  options: FacetOption[];
  onToggle(value: string, selected: boolean): void;
  onClear(): void;
}) {
  const { t, i18n } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const label = useFacetLabel();
  const shown = expanded ? options : collapsedFacetOptions(options, COLLAPSED_OPTIONS);
  const selected = options.filter((option) => option.selected).length;

  return (
    <section data-testid={`facet-${field}`}>
      <Flex justify="space-between" align="baseline" gap={8}>
        <Typography.Text strong>{t(`catalog.facets.${field}`)}</Typography.Text>
        {selected > 0 ? (
          <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={onClear} data-testid={`facet-clear-${field}`}>
            {t('catalog.clearFacet')}
          </Button>
        ) : null}
      </Flex>
      {options.length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          {t('catalog.facetEmpty')}
        </Typography.Paragraph>
      ) : (
        <Flex vertical gap={2} style={{ marginTop: 6 }}>
          {shown.map((option) => (
            <Flex key={option.value} justify="space-between" align="center" gap={8}>
              <Checkbox
                checked={option.selected}
                onChange={(event) => onToggle(option.value, event.target.checked)}
                data-testid={`facet-option-${field}-${option.value}`}
                style={{ minWidth: 0 }}
              >
                {label(field, option)}
              </Checkbox>
              <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatCount(option.count, i18n.language)}
              </Typography.Text>
            </Flex>
          ))}
          {options.length > COLLAPSED_OPTIONS ? (
            <Button type="link" size="small" style={{ padding: 0, alignSelf: 'flex-start' }} onClick={() => setExpanded(!expanded)}>
              {expanded ? t('catalog.showFewer') : t('catalog.showAll', { total: options.length })}
            </Button>
          ) : null}
        </Flex>
      )}
    </section>
  );
}

/** The words for a facet value: vocabulary values translated, agencies by the name the API sends. */
export function useFacetLabel(): (field: FacetField, option: { value: string; label?: string }) => string {
  const { t } = useTranslation();
  return (field, option) => {
    switch (field) {
      case 'theme':
        return isOneOf(themes, option.value) ? t(`vocab.themes.${option.value}`) : option.value;
      case 'classification':
        return isOneOf(classifications, option.value) ? t(`classification.${option.value}.name`) : option.value;
      case 'format':
        return isOneOf(sourceFormats, option.value) ? t(`vocab.formats.${option.value}`) : option.value;
      case 'updateFrequency':
        return isOneOf(updateFrequencies, option.value) ? t(`vocab.frequencies.${option.value}`) : option.value;
      case 'agency':
        return option.label || option.value;
    }
  };
}
