import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Input, Select, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ColumnUpdate, DatasetColumn, Sensitivity } from '../api/schema-types';
import { sensitivities } from '../catalog/vocabulary';
import { useShowApiError } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';

type ColumnDraft = Required<Omit<ColumnUpdate, 'name'>>;

/** The columns whose description, sensitivity or pseudonym setting differ from what is saved, as the API takes them. */
export function changedColumns(columns: readonly DatasetColumn[], drafts: Readonly<Record<string, ColumnDraft>>): ColumnUpdate[] {
  return columns.flatMap((column) => {
    const draft = drafts[column.name];
    if (!draft) return [];
    const update: ColumnUpdate = { name: column.name };
    if (draft.descriptionZh !== column.descriptionZh) update.descriptionZh = draft.descriptionZh;
    if (draft.descriptionEn !== column.descriptionEn) update.descriptionEn = draft.descriptionEn;
    if (draft.sensitivity !== column.sensitivity) update.sensitivity = draft.sensitivity;
    if (draft.joinPseudonym !== column.joinPseudonym) update.joinPseudonym = draft.joinPseudonym;
    return Object.keys(update).length > 1 ? [update] : [];
  });
}

/** Describes each column in both languages, sets its sensitivity, and lets personal columns join derivations as pseudonyms. */
export function ColumnsEditor({ datasetId, columns, minGroupSize }: { datasetId: string; columns: readonly DatasetColumn[]; minGroupSize: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const notifySuccess = useNotifySuccess();
  const [drafts, setDrafts] = useState<Record<string, ColumnDraft>>({});
  const changes = changedColumns(columns, drafts);

  const valueOf = (column: DatasetColumn): ColumnDraft =>
    drafts[column.name] ?? {
      descriptionZh: column.descriptionZh,
      descriptionEn: column.descriptionEn,
      sensitivity: column.sensitivity,
      joinPseudonym: column.joinPseudonym,
    };
  // Only a personal column can be a pseudonym: another sensitivity clears it (as the API does).
  const edit = (column: DatasetColumn, change: Partial<ColumnDraft>) =>
    setDrafts((current) => {
      const next = { ...valueOf(column), ...change };
      return { ...current, [column.name]: next.sensitivity === 'personal' ? next : { ...next, joinPseudonym: false } };
    });

  const save = useMutation({
    mutationFn: (updates: ColumnUpdate[]) => unwrap(api.PUT('/api/v1/agency/datasets/{id}/columns', { params: { path: { id: datasetId } }, body: { columns: updates } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.catalogAll });
      setDrafts({});
      notifySuccess('columnsSaved');
    },
    onError: showError,
  });

  const tableColumns: TableColumnsType<DatasetColumn> = [
    {
      key: 'name',
      title: t('dataset.schema.column'),
      fixed: 'left',
      render: (_, column) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{column.name}</Typography.Text>
          <Typography.Text code style={{ fontSize: 12, alignSelf: 'flex-start' }}>
            {column.dataType}
          </Typography.Text>
          {column.inCurrentVersion ? null : <Tag style={{ alignSelf: 'flex-start' }}>{t('dataset.schema.earlierOnly')}</Tag>}
        </Flex>
      ),
    },
    {
      key: 'descriptionZh',
      title: t('datasets.columnsEditor.descriptionZh'),
      render: (_, column) => (
        <Input.TextArea
          autoSize={{ minRows: 1, maxRows: 4 }}
          maxLength={2000}
          value={valueOf(column).descriptionZh}
          onChange={(event) => edit(column, { descriptionZh: event.target.value })}
          aria-label={t('datasets.columnsEditor.descriptionZhOf', { column: column.name })}
          data-testid={`column-description-zh-${column.name}`}
          style={{ minWidth: 200 }}
        />
      ),
    },
    {
      key: 'descriptionEn',
      title: t('datasets.columnsEditor.descriptionEn'),
      render: (_, column) => (
        <Input.TextArea
          autoSize={{ minRows: 1, maxRows: 4 }}
          maxLength={2000}
          value={valueOf(column).descriptionEn}
          onChange={(event) => edit(column, { descriptionEn: event.target.value })}
          aria-label={t('datasets.columnsEditor.descriptionEnOf', { column: column.name })}
          data-testid={`column-description-en-${column.name}`}
          style={{ minWidth: 200 }}
        />
      ),
    },
    {
      key: 'sensitivity',
      title: t('dataset.schema.sensitivity'),
      render: (_, column) => (
        <Select<Sensitivity>
          value={valueOf(column).sensitivity}
          onChange={(sensitivity) => edit(column, { sensitivity })}
          aria-label={t('datasets.columnsEditor.sensitivityOf', { column: column.name })}
          data-testid={`column-sensitivity-${column.name}`}
          style={{ minWidth: 150 }}
          popupMatchSelectWidth={false}
          options={sensitivities.map((value) => ({ value, label: t(`vocab.sensitivities.${value}`) }))}
        />
      ),
    },
    {
      key: 'joinPseudonym',
      title: (
        <Tooltip title={t('datasets.columnsEditor.pseudonymHint')}>
          <span>{t('datasets.columnsEditor.pseudonym')}</span>
        </Tooltip>
      ),
      render: (_, column) => {
        const personal = valueOf(column).sensitivity === 'personal';
        return (
          <Tooltip title={personal ? t('datasets.columnsEditor.pseudonymHint') : t('datasets.columnsEditor.pseudonymPersonalOnly')}>
            <Switch
              size="small"
              checked={personal && valueOf(column).joinPseudonym}
              disabled={!personal}
              onChange={(joinPseudonym) => edit(column, { joinPseudonym })}
              aria-label={t('datasets.columnsEditor.pseudonymOf', { column: column.name })}
              data-testid={`column-pseudonym-${column.name}`}
            />
          </Tooltip>
        );
      },
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Alert
        type="info"
        showIcon
        title={t('datasets.columnsEditor.sensitivityTitle', { k: minGroupSize })}
        description={
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {sensitivities.map((value) => (
              <li key={value}>
                <Typography.Text strong>{t(`vocab.sensitivities.${value}`)}</Typography.Text>
                {t('ingest.factSeparator')}
                {t(`vocab.sensitivityHints.${value}`)}
              </li>
            ))}
            <li>
              <Typography.Text strong>{t('datasets.columnsEditor.pseudonym')}</Typography.Text>
              {t('ingest.factSeparator')}
              {t('datasets.columnsEditor.pseudonymHint')}
            </li>
          </ul>
        }
      />
      <Table<DatasetColumn>
        data-testid="columns-editor"
        size="small"
        rowKey="name"
        columns={tableColumns}
        dataSource={[...columns]}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('datasets.columnsEditor.empty') }}
      />
      <Flex justify="flex-end" gap={8}>
        <Button disabled={changes.length === 0 || save.isPending} onClick={() => setDrafts({})}>
          {t('datasets.columnsEditor.discard')}
        </Button>
        <Button type="primary" disabled={changes.length === 0} loading={save.isPending} onClick={() => save.mutate(changes)} data-testid="columns-save">
          {changes.length > 0 ? t('datasets.columnsEditor.saveCount', { changed: changes.length }) : t('datasets.columnsEditor.save')}
        </Button>
      </Flex>
    </Flex>
  );
}
