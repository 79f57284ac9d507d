import { FileSearchOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Descriptions, Flex, Progress, Spin, Table, Tag, Typography, Upload, type TableColumnsType } from 'antd';
import { useEffect, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { isAbortError, type UploadProgress } from '../api/multipart-upload';
import { queryKeys } from '../api/query-keys';
import type { LeakEvidence, Product } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { localizedText } from '../catalog/localized-text';
import { describeApiError } from '../components/api-error-feedback';
import { formatBytes, formatCount } from '../components/number-format';
import { isOwnerCopy, isTraceableFile, leadOdds, LEAK_FILE_EXTENSIONS, matchKind, metadataSourceOf, traceLeak } from '../delivery/leak-trace';
import { OwnProductPage } from '../products/product-query-state';

type TraceState =
  | { phase: 'idle' }
  | { phase: 'uploading'; filename: string; progress: UploadProgress }
  | { phase: 'done'; filename: string; matches: LeakEvidence[] }
  | { phase: 'failed'; filename: string; message: string };

/** The owner's page for tracing a leaked file of one product back to the licence it was delivered under. */
export function LeakTracePage() {
  return <OwnProductPage>{(product) => <LeakTrace product={product} />}</OwnProductPage>;
}

function LeakTrace({ product }: { product: Product }) {
  const { t, i18n } = useTranslation();
  const [trace, setTrace] = useState<TraceState>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const title = localizedText(product.titleZh, product.titleEn, i18n.language);
  const versions = useQuery({
    queryKey: queryKeys.productVersions(product.id),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/versions', { params: { path: { id: product.id } } })),
    enabled: trace.phase === 'done' && trace.matches.length > 0,
  });
  const versionNumbers = new Map((versions.data?.items ?? []).map((version) => [version.id, version.version]));

  useEffect(() => () => abort.current?.abort(), []);

  const start = (file: File) => {
    if (!isTraceableFile(file.name)) {
      setTrace({ phase: 'failed', filename: file.name, message: t('delivery.leakTrace.wrongType') });
      return;
    }
    if (file.size === 0) {
      setTrace({ phase: 'failed', filename: file.name, message: t('delivery.leakTrace.emptyFile') });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setTrace({ phase: 'uploading', filename: file.name, progress: { loaded: 0, total: file.size } });
    traceLeak(product.id, { file, signal: controller.signal, onProgress: (progress) => setTrace({ phase: 'uploading', filename: file.name, progress }) })
      .then((answer) => setTrace({ phase: 'done', filename: file.name, matches: answer.matches }))
      .catch((error: unknown) => setTrace(isAbortError(error) ? { phase: 'idle' } : { phase: 'failed', filename: file.name, message: describeApiError(error, t) }))
      .finally(() => {
        if (abort.current === controller) abort.current = null;
      });
  };

  const busy = trace.phase === 'uploading';

  return (
    <div data-testid="leak-trace-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/products">{t('nav.products')}</Link> },
          {
            key: 'product',
            title: (
              <Link to={`/console/products/${product.id}`} title={title.primary} style={{ display: 'inline-block', maxWidth: 'min(40vw, 420px)', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'bottom' }}>
                {title.primary}
              </Link>
            ),
          },
          { key: 'trace', title: t('delivery.leakTrace.title') },
        ]}
      />
      <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
        {t('delivery.leakTrace.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
        {t('delivery.leakTrace.intro', { product: title.primary })}
      </Typography.Paragraph>

      <Flex vertical gap={16} style={{ maxWidth: 960 }}>
        <Card size="small" title={t('delivery.leakTrace.uploadTitle')}>
          <Flex vertical gap={16}>
            <Upload.Dragger
              accept={LEAK_FILE_EXTENSIONS.join(',')}
              multiple={false}
              showUploadList={false}
              disabled={busy}
              beforeUpload={(file) => {
                start(file);
                return false;
              }}
              data-testid="leak-upload-input"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('delivery.leakTrace.drop')}</p>
              <p className="ant-upload-hint" style={{ paddingInline: 12 }}>
                {t('delivery.leakTrace.hint')}
              </p>
            </Upload.Dragger>

            {trace.phase === 'uploading' ? <TraceProgress filename={trace.filename} progress={trace.progress} onCancel={() => abort.current?.abort()} /> : null}

            {trace.phase === 'failed' ? (
              <Alert
                type="error"
                showIcon
                closable={{ onClose: () => setTrace({ phase: 'idle' }) }}
                data-testid="leak-error"
                title={t('delivery.leakTrace.failed', { filename: trace.filename })}
                description={trace.message}
              />
            ) : null}
          </Flex>
        </Card>

        {trace.phase === 'done' ? <TraceResult filename={trace.filename} matches={trace.matches} versionNumbers={versionNumbers} onReset={() => setTrace({ phase: 'idle' })} /> : null}
      </Flex>
    </div>
  );
}

/** Bytes sent, then (all sent) the wait while the server looks for each licence's marks. */
function TraceProgress({ filename, progress, onCancel }: { filename: string; progress: UploadProgress; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const sent = progress.total > 0 && progress.loaded >= progress.total;
  const percent = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return (
    <Flex vertical gap={4} data-testid="leak-progress" data-phase={sent ? 'checking' : 'sending'}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
          {sent
            ? t('delivery.leakTrace.checking', { filename })
            : t('delivery.leakTrace.sending', { filename, loaded: formatBytes(progress.loaded, i18n.language), total: formatBytes(progress.total, i18n.language) })}
        </Typography.Text>
        <Button size="small" onClick={onCancel} data-testid="leak-cancel">
          {t('common.cancel')}
        </Button>
      </Flex>
      {sent ? (
        <Flex align="center" gap={8}>
          <Spin size="small" />
          <Typography.Text type="secondary">{t('delivery.leakTrace.checkingHint')}</Typography.Text>
        </Flex>
      ) : (
        <Progress percent={percent} status="active" data-testid="leak-upload-progress" />
      )}
    </Flex>
  );
}

function TraceResult({
  filename,
  matches,
  versionNumbers,
  onReset,
}: {
  filename: string;
  matches: LeakEvidence[];
  versionNumbers: ReadonlyMap<string, number>;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  const again = (
    <Button onClick={onReset} data-testid="leak-again">
      {t('delivery.leakTrace.again')}
    </Button>
  );
  if (matches.length === 0) {
    return (
      <Alert
        type="info"
        showIcon
        data-testid="leak-result"
        data-outcome="none"
        title={t('delivery.leakTrace.noMatch', { filename })}
        description={
          <Flex vertical gap={12} align="flex-start">
            <span>{t('delivery.leakTrace.noMatchHint')}</span>
            {again}
          </Flex>
        }
      />
    );
  }
  const [strongest, ...others] = matches as [LeakEvidence, ...LeakEvidence[]];
  const strong = strongest.canariesFound > 0;
  const source = metadataSourceOf(strongest, filename);
  return (
    <Card
      size="small"
      data-testid="leak-result"
      data-outcome="match"
      title={
        <Flex gap={8} align="center">
          <FileSearchOutlined />
          <span style={{ whiteSpace: 'normal' }}>{t('delivery.leakTrace.resultTitle', { filename })}</span>
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        <Alert
          type={strong ? 'warning' : 'info'}
          showIcon
          data-testid="leak-verdict"
          data-kind={matchKind(strongest)}
          title={strong ? t('delivery.leakTrace.strong') : matchKind(strongest) === 'lead' ? t('delivery.leakTrace.lead') : t(`delivery.leakTrace.weak.${source}`)}
        />
        <Descriptions
          size="small"
          column={1}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          data-testid="leak-match"
          data-license-id={strongest.licenseId}
          items={[
            { key: 'license', label: t('delivery.leakTrace.license'), children: <LicenceName evidence={strongest} /> },
            { key: 'buyer', label: t('delivery.leakTrace.licensee'), children: <Licensee evidence={strongest} /> },
            { key: 'how', label: t('delivery.leakTrace.how'), children: <HowMatched evidence={strongest} filename={filename} /> },
            { key: 'version', label: t('delivery.leakTrace.version'), children: <VersionName versionId={strongest.versionId} numbers={versionNumbers} /> },
          ]}
        />
        {others.length > 0 ? <OtherMatches matches={others} versionNumbers={versionNumbers} filename={filename} /> : null}
        <div>{again}</div>
      </Flex>
    </Card>
  );
}

function LicenceName({ evidence }: { evidence: LeakEvidence }) {
  const { t } = useTranslation();
  const me = useMe();
  if (isOwnerCopy(evidence.licenseId)) return <Typography.Text data-testid="leak-license">{t('delivery.leakTrace.ownCopy')}</Typography.Text>;
  const short = evidence.licenseId.slice(0, 8);
  return hasPermission(me.permissions, 'offers:manage') ? (
    <Link to={`/console/sales/${evidence.licenseId}`} data-testid="leak-license" title={evidence.licenseId}>
      {t('delivery.leakTrace.licenseName', { id: short })}
    </Link>
  ) : (
    <Typography.Text data-testid="leak-license" copyable={{ text: evidence.licenseId }}>
      {t('delivery.leakTrace.licenseName', { id: short })}
    </Typography.Text>
  );
}

function Licensee({ evidence }: { evidence: LeakEvidence }) {
  const { t } = useTranslation();
  const me = useMe();
  const name = isOwnerCopy(evidence.licenseId) ? me.organization.name : evidence.buyer;
  return (
    <Typography.Text data-testid="leak-buyer" style={{ overflowWrap: 'anywhere' }}>
      {name || t('delivery.leakTrace.unknownLicensee')}
    </Typography.Text>
  );
}

function HowMatched({ evidence, filename }: { evidence: LeakEvidence; filename: string }) {
  const { t, i18n } = useTranslation();
  const kind = matchKind(evidence);
  const source = metadataSourceOf(evidence, filename);
  return (
    <Flex vertical gap={2} data-testid="leak-how" data-kind={kind} data-source={source}>
      {evidence.canariesFound > 0 ? (
        <Typography.Text>
          {t('delivery.leakTrace.canaries', { found: formatCount(evidence.canariesFound, i18n.language), count: evidence.canaries, total: formatCount(evidence.canaries, i18n.language) })}
        </Typography.Text>
      ) : null}
      {evidence.possible ? (
        <Typography.Text data-testid="leak-lead">
          {t('delivery.leakTrace.leadRows', {
            count: evidence.possible.canaries,
            found: formatCount(evidence.possible.canaries, i18n.language),
            odds: formatCount(leadOdds(evidence.possible.chance), i18n.language),
          })}
        </Typography.Text>
      ) : null}
      {evidence.pageCanaries ? <Typography.Text type="secondary">{t('delivery.leakTrace.pageCanaries', { count: evidence.pageCanaries, found: formatCount(evidence.pageCanaries, i18n.language) })}</Typography.Text> : null}
      {evidence.namedInMetadata ? <Typography.Text>{t(`delivery.leakTrace.metadata.${source}`)}</Typography.Text> : null}
      {kind === 'metadata' ? <Typography.Text type="secondary">{t(`delivery.leakTrace.metadataOnly.${source}`)}</Typography.Text> : null}
    </Flex>
  );
}

function VersionName({ versionId, numbers }: { versionId: string; numbers: ReadonlyMap<string, number> }) {
  const { t } = useTranslation();
  const number = numbers.get(versionId);
  return <Typography.Text>{number === undefined ? versionId.slice(0, 8) : t('versions.version', { version: number })}</Typography.Text>;
}

/** Further licences with evidence in the same file (several copies merged, or a shared metadata name). */
function OtherMatches({ matches, versionNumbers, filename }: { matches: LeakEvidence[]; versionNumbers: ReadonlyMap<string, number>; filename: string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<LeakEvidence> = [
    { key: 'license', title: t('delivery.leakTrace.license'), render: (_, evidence) => <LicenceName evidence={evidence} /> },
    { key: 'buyer', title: t('delivery.leakTrace.licensee'), render: (_, evidence) => <Licensee evidence={evidence} /> },
    { key: 'how', title: t('delivery.leakTrace.how'), render: (_, evidence) => <HowMatched evidence={evidence} filename={filename} /> },
    { key: 'version', title: t('delivery.leakTrace.version'), responsive: ['sm'], render: (_, evidence) => <VersionName versionId={evidence.versionId} numbers={versionNumbers} /> },
  ];
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} align="center">
        <Typography.Text strong>{t('delivery.leakTrace.others')}</Typography.Text>
        <Tag>{matches.length}</Tag>
      </Flex>
      <Table<LeakEvidence>
        size="small"
        rowKey={(evidence) => `${evidence.licenseId}:${evidence.versionId}`}
        columns={columns}
        dataSource={matches}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(evidence) => ({ 'data-testid': 'leak-other', 'data-license-id': evidence.licenseId }) as HTMLAttributes<HTMLElement>}
      />
    </Flex>
  );
}
