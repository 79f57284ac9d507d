import { CaretRightOutlined, ExperimentOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Collapse, Flex, Row, Space, Tag, Tooltip, Typography, theme } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { formatCount } from '../components/number-format';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DryRunResult, InputColumn, Product } from '../api/schema-types';
import { SensitivityTag } from '../catalog/catalog-tags';
import { useInputCandidates } from './create-product-modal';
import { describeSqlRequestProblem, sqlLocation } from './derive-error';
import { DeriveErrorAlert, DryRunResultView } from './dry-run-result';
import { completionInputs, draftsOf, hasInputProblems, inputsChanged, toInputSpecs, type InputDraft } from './input-drafts';
import { InputsEditor } from './inputs-editor';
import { InputsTable } from './inputs-table';
import { useProductFeedback } from './product-feedback';
import { PseudonymTag } from './product-tags';
import { SQL_MAX_LENGTH, textLength } from './product-vocabulary';
import { isRunLive } from './run-progress';
import { RunProgressView, useFollowedRun } from './run-progress-view';
import { SettingsChangedAlert } from './settings-changed';
import { SqlEditor, type SqlEditorHandle } from './sql-editor';
import { quoteIdentifier, sqlColumnCompletions, sqlCompletionSchema } from './sql-schema';

type DryRunState = { kind: 'result'; result: DryRunResult } | { kind: 'error'; error: ApiError } | null;

/** Whether an error belongs beside the SQL (the vendor's to fix) rather than in a toast. */
function isSqlProblem(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.code.startsWith('derive.') || error.code.startsWith('product.')) && error.status >= 400 && error.status < 500;
}

/**
 * What keeps the SQL from being saved or tried, known before asking the API: nothing in it (empty
 * and blank alike), or more than the API keeps. Null when neither.
 */
export function sqlDraftProblem(sql: string): { kind: 'empty' } | { kind: 'too_long'; length: number } | null {
  if (sql.trim() === '') return { kind: 'empty' };
  const length = textLength(sql);
  return length > SQL_MAX_LENGTH ? { kind: 'too_long', length } : null;
}

/**
 * The derivation of a product: its inputs, the SQL over them (editable in draft), dry runs with
 * what the privacy gate will check, and runs of the derive flow followed live.
 */
export function DerivationPanel({ product }: { product: Product }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const feedback = useProductFeedback();
  const editable = product.status === 'draft' && product.kind === 'derived';
  const runnable = product.status !== 'retired';
  const candidates = useInputCandidates(editable);
  const editor = useRef<SqlEditorHandle>(null);
  const runCard = useRef<HTMLDivElement>(null);

  const [sql, setSql] = useState(product.sql);
  const [drafts, setDrafts] = useState<InputDraft[]>(() => draftsOf(product.inputs));
  const [dryRun, setDryRun] = useState<DryRunState>(null);
  // A request the API refused because of the SQL (empty, too long, too large to send), in words.
  const [sqlRefusal, setSqlRefusal] = useState<string | null>(null);
  const [followedRunId, setFollowedRunId] = useState<string | null>(product.latestRun && isRunLive(product.latestRun) ? product.latestRun.id : null);
  const sqlDirty = editable && sql !== product.sql;
  const inputsDirty = editable && inputsChanged(drafts, product.inputs);
  const inputsInvalid = editable && hasInputProblems(drafts, candidates.data?.items ?? []);
  const run = useFollowedRun(product.id, followedRunId ?? product.latestRun?.id ?? null, product.latestRun);

  const describeColumn = (column: InputColumn) =>
    [column.type, t(`vocab.sensitivities.${column.sensitivity}`), column.pseudonym ? t('products.inputs.pseudonym') : null].filter(Boolean).join(' · ');
  // Completion follows the inputs being edited (a dry run reads them before they are saved).
  const completion = useMemo(() => {
    const inputs = completionInputs(drafts, product.inputs);
    return {
      schema: sqlCompletionSchema(inputs, describeColumn, (input) => t('products.sql.inputDetail', { name: input.name })),
      columns: sqlColumnCompletions(inputs, describeColumn),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- describeColumn only depends on t
  }, [drafts, product.inputs, t]);

  const saved = (updated: Product) => queryClient.setQueryData(queryKeys.product(product.id), updated);

  /** Beside the editor when the SQL is to blame, else a toast. */
  const sqlOrToast = (error: unknown) => {
    const refusal = describeSqlRequestProblem(error, t);
    if (refusal) setSqlRefusal(refusal);
    else feedback.error(error);
  };

  const saveSql = useMutation({
    mutationFn: (text: string) => unwrap(api.PATCH('/api/v1/products/{id}', { params: { path: { id: product.id } }, body: { sql: text } })),
    onMutate: () => setSqlRefusal(null),
    onSuccess: (updated) => {
      saved(updated);
      feedback.success('sqlSaved');
    },
    onError: sqlOrToast,
  });

  const saveInputs = useMutation({
    mutationFn: (next: InputDraft[]) => unwrap(api.PATCH('/api/v1/products/{id}', { params: { path: { id: product.id } }, body: { inputs: toInputSpecs(next) } })),
    onSuccess: (updated) => {
      saved(updated);
      setDrafts(draftsOf(updated.inputs));
      void queryClient.invalidateQueries({ queryKey: queryKeys.products });
      feedback.success('inputsSaved');
    },
    onError: feedback.error,
  });

  const tryRun = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/products/{id}/dry-run', {
          params: { path: { id: product.id } },
          body: { ...(sqlDirty ? { sql } : {}), ...(inputsDirty ? { inputs: toInputSpecs(drafts) } : {}) },
        }),
      ),
    onMutate: () => {
      setDryRun(null);
      setSqlRefusal(null);
    },
    onSuccess: (result) => setDryRun({ kind: 'result', result }),
    onError: (error) => (isSqlProblem(error) ? setDryRun({ kind: 'error', error }) : sqlOrToast(error)),
  });

  const startRun = useMutation({
    mutationFn: async () => {
      if (sqlDirty) saved(await unwrap(api.PATCH('/api/v1/products/{id}', { params: { path: { id: product.id } }, body: { sql } })));
      return unwrap(api.POST('/api/v1/products/{id}/runs', { params: { path: { id: product.id } } }));
    },
    onMutate: () => {
      setSqlRefusal(null);
      // A dry run's refusal is of the SQL as it was then: the run now says how this SQL fares.
      setDryRun((current) => (current?.kind === 'error' ? null : current));
    },
    onSuccess: (started) => {
      queryClient.setQueryData(queryKeys.productRun(product.id, started.id), started);
      setFollowedRunId(started.id);
      void queryClient.invalidateQueries({ queryKey: queryKeys.productRuns(product.id) });
      feedback.success('runStarted');
      // The run's progress shows below the editor: bring it into view.
      setTimeout(() => runCard.current?.scrollIntoView?.({ behavior: 'smooth', block: 'nearest' }), 50);
    },
    onError: sqlOrToast,
  });

  const running = run.data !== undefined && isRunLive(run.data);
  const draftProblem = editable ? sqlDraftProblem(sql) : null;
  const sqlLength = editable ? textLength(sql) : 0;
  const sqlBlocked =
    draftProblem?.kind === 'empty'
      ? t('products.sql.problems.empty')
      : draftProblem?.kind === 'too_long'
        ? t('products.sql.problems.tooLong', { length: formatCount(draftProblem.length, i18n.language), limit: formatCount(SQL_MAX_LENGTH, i18n.language) })
        : null;
  const runBlocked = !runnable
    ? t('products.sql.runRetired')
    : inputsDirty
      ? t('products.sql.saveInputsFirst')
      : running
        ? t('products.sql.runInProgress')
        : sqlBlocked;
  // A new run replaces the last one's outcome at once, not when it has been started.
  const shownRun = startRun.isPending ? undefined : run.data;
  const readOnlyNote =
    product.kind === 'base' ? t('products.sql.readOnlyBase') : product.status !== 'draft' ? t(`products.sql.readOnly.${product.status === 'submitted' ? 'submitted' : 'listed'}`) : null;

  return (
    <Flex vertical gap={16}>
      {running ? null : (
        <SettingsChangedAlert
          product={product}
          action={
            runBlocked === null ? (
              <Button size="small" icon={<CaretRightOutlined />} loading={startRun.isPending} onClick={() => startRun.mutate()} data-testid="settings-changed-run">
                {sqlDirty ? t('products.sql.saveAndRun') : t('products.settingsChanged.runAgain')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Card
        size="small"
        title={t('products.inputs.title')}
        data-testid="inputs-card"
        extra={
          editable && inputsDirty ? (
            <Space>
              <Button size="small" onClick={() => setDrafts(draftsOf(product.inputs))}>
                {t('common.reset')}
              </Button>
              <Button
                size="small"
                type="primary"
                icon={<SaveOutlined />}
                disabled={inputsInvalid}
                loading={saveInputs.isPending}
                onClick={() => saveInputs.mutate(drafts)}
                data-testid="inputs-save"
              >
                {t('products.inputs.save')}
              </Button>
            </Space>
          ) : null
        }
      >
        {editable ? (
          <Flex vertical gap={12}>
            <Typography.Text type="secondary">{t('products.inputs.intro')}</Typography.Text>
            <InputsEditor value={drafts} onChange={setDrafts} candidates={candidates.data?.items ?? []} loading={candidates.isPending} showRequired={inputsDirty} />
            <Collapse
              size="small"
              ghost
              items={[{ key: 'saved', label: t('products.inputs.savedDetails'), children: <InputsTable inputs={product.inputs} candidates={candidates.data?.items} /> }]}
            />
          </Flex>
        ) : (
          <InputsTable inputs={product.inputs} />
        )}
      </Card>

      <Card
        size="small"
        title={
          <Space size={8} wrap>
            <span>{t('products.sql.title')}</span>
            {sqlDirty ? <Tag color="gold">{t('products.sql.unsaved')}</Tag> : null}
          </Space>
        }
        data-testid="sql-card"
      >
        <Flex vertical gap={12}>
          {readOnlyNote ? <Alert type="info" showIcon title={readOnlyNote} data-testid="sql-read-only" /> : null}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={17}>
              <Flex vertical gap={8}>
                <SqlEditor
                  ref={editor}
                  value={editable ? sql : product.sql}
                  onChange={
                    editable
                      ? (text) => {
                          setSql(text);
                          setSqlRefusal(null);
                        }
                      : undefined
                  }
                  readOnly={!editable}
                  schema={completion.schema}
                  columns={completion.columns}
                  errorLocation={dryRun?.kind === 'error' ? sqlLocation(dryRun.error.details) : null}
                />
                {editable ? (
                  <Typography.Text
                    type={draftProblem?.kind === 'too_long' ? 'danger' : 'secondary'}
                    style={{ fontSize: 12, alignSelf: 'flex-end', fontVariantNumeric: 'tabular-nums' }}
                    data-testid="sql-length"
                  >
                    {t('products.sql.length', { length: formatCount(sqlLength, i18n.language), limit: formatCount(SQL_MAX_LENGTH, i18n.language) })}
                  </Typography.Text>
                ) : null}
                {/* Right under the editor: why the SQL cannot be tried, saved or run as it is. */}
                {sqlBlocked ? <Alert type="warning" showIcon title={sqlBlocked} data-testid="sql-problem" /> : null}
                {sqlRefusal ? <Alert type="error" showIcon title={sqlRefusal} data-testid="sql-refused" /> : null}
              </Flex>
            </Col>
            <Col xs={24} xl={7}>
              <SchemaPanel product={product} />
            </Col>
          </Row>
          <Flex gap={8} wrap justify="flex-end">
            {editable ? (
              <Tooltip title={sqlDirty ? sqlBlocked : null}>
                <Button
                  icon={<SaveOutlined />}
                  disabled={!sqlDirty || sqlBlocked !== null}
                  loading={saveSql.isPending}
                  onClick={() => saveSql.mutate(sql)}
                  data-testid="sql-save"
                >
                  {t('products.sql.save')}
                </Button>
              </Tooltip>
            ) : null}
            <Tooltip title={sqlBlocked}>
              <Button
                icon={<ExperimentOutlined />}
                loading={tryRun.isPending}
                disabled={inputsInvalid || sqlBlocked !== null}
                onClick={() => tryRun.mutate()}
                data-testid="dry-run"
              >
                {t('products.sql.dryRun')}
              </Button>
            </Tooltip>
            <Tooltip title={runBlocked}>
              <Button
                type="primary"
                icon={<CaretRightOutlined />}
                loading={startRun.isPending}
                disabled={runBlocked !== null}
                onClick={() => startRun.mutate()}
                data-testid="run-start"
              >
                {sqlDirty ? t('products.sql.saveAndRun') : t('products.sql.run')}
              </Button>
            </Tooltip>
          </Flex>
          {dryRun?.kind === 'error' ? <DeriveErrorAlert error={dryRun.error} onGoTo={(location) => editor.current?.goTo(location)} /> : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('products.sql.hint')}
          </Typography.Text>
        </Flex>
      </Card>

      {shownRun ? (
        <div ref={runCard}>
          <RunProgressView run={shownRun} onGoTo={(location) => editor.current?.goTo(location)} />
        </div>
      ) : null}
      {dryRun?.kind === 'result' ? <DryRunResultView result={dryRun.result} /> : null}
    </Flex>
  );
}

/**
 * The inputs and their visible columns, as the SQL names them: each column on a row of its own,
 * its name first and its type and tags under it, so nothing wraps into the next column's line.
 */
function SchemaPanel({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Card size="small" type="inner" title={t('products.sql.schemaTitle')} styles={{ body: { maxHeight: 480, overflowY: 'auto', padding: 8 } }} data-testid="sql-schema">
      <Collapse
        size="small"
        ghost
        styles={{ body: { paddingTop: 0 } }}
        defaultActiveKey={product.inputs.map((input) => input.name)}
        items={product.inputs.map((input) => ({
          key: input.name,
          label: <Typography.Text code>{input.name}</Typography.Text>,
          children: (
            <Flex vertical>
              {input.columns.map((column, index) => (
                <div
                  key={column.name}
                  data-testid="sql-schema-column"
                  style={{ padding: '4px 0', minWidth: 0, borderTop: index === 0 ? undefined : `1px solid ${token.colorSplit}` }}
                >
                  <Typography.Text code copyable={{ text: quoteIdentifier(column.name) }} style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
                    {quoteIdentifier(column.name)}
                  </Typography.Text>
                  <Flex gap={4} wrap align="center" style={{ marginTop: 2 }} data-testid="sql-schema-column-facts">
                    <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                      {column.type}
                    </Typography.Text>
                    {column.sensitivity === 'public' ? null : <SensitivityTag sensitivity={column.sensitivity} />}
                    {column.pseudonym ? <PseudonymTag /> : null}
                  </Flex>
                </div>
              ))}
              {input.columns.length === 0 ? <Typography.Text type="secondary">{t('products.sql.noColumns')}</Typography.Text> : null}
            </Flex>
          ),
        }))}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 4px 0' }}>
        {t('products.sql.personalHidden')}
      </Typography.Paragraph>
    </Card>
  );
}
