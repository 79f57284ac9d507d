import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { LeakEvidence, ProductVersion } from '../api/schema-types';
import { isOwnerCopy, isTraceableFile, leadOdds, matchKind, metadataSourceOf } from '../delivery/leak-trace';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { apiError, clearMockApi, json, mockApi } from '../test/mock-api';
import { installMockXhr } from '../test/mock-xhr';
import { gateReport, product, productId } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { LeakTracePage } from './leak-trace-page';

const vendor = member('vendor_admin', ['products:manage', 'offers:manage'], 'vendor');
const steward = member('steward', ['products:manage', 'datasets:manage'], 'agency');
const licenseId = 'c0000000-0000-4000-8000-0000000000b7';
const versionId = 'e0000000-0000-4000-8000-000000000003';

const version = (overrides: Partial<ProductVersion> = {}): ProductVersion => ({
  id: versionId,
  version: 3,
  rowCount: 117,
  parquetBytes: 2048,
  schema: [{ name: 'district', type: 'VARCHAR' }],
  profile: [],
  gateReport: gateReport(),
  inputs: [],
  sql: 'SELECT district FROM visits',
  createdAt: '2026-11-20T08:00:00.000Z',
  ...overrides,
});

const published = product({ status: 'published', currentVersion: version() });

const evidence = (overrides: Partial<LeakEvidence> = {}): LeakEvidence => ({
  licenseId,
  buyer: 'Harbor Logistics',
  versionId,
  canariesFound: 1,
  canaries: 1,
  namedInMetadata: false,
  namedIn: null,
  ...overrides,
});

const csv = (name = 'found-on-a-forum.csv', text = 'district,visits\n黄浦区,12\n') => new File([text], name, { type: 'text/csv' });

function chooseFile(file: File) {
  const input = screen.getByTestId('leak-trace-page').querySelector('input[type="file"]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [file] } });
}

async function renderTrace(me = vendor) {
  return renderPage(<LeakTracePage />, { path: '/console/products/:id/leak-trace', route: `/console/products/${productId}/leak-trace`, me });
}

describe('leak tracing helpers', () => {
  it('accepts the delivered formats and names how a licence matched', () => {
    expect(['leak.CSV', 'copy.parquet', 'x.csv', 'page.json', 'rows.NDJSON'].map(isTraceableFile)).toEqual([true, true, true, true, true]);
    expect(['leak.xlsx', 'leak.csv.zip', 'parquet'].map(isTraceableFile)).toEqual([false, false, false]);
    expect(matchKind({ canariesFound: 2, namedInMetadata: false })).toBe('canaries');
    expect(matchKind({ canariesFound: 1, namedInMetadata: true })).toBe('both');
    expect(matchKind({ canariesFound: 0, namedInMetadata: true })).toBe('metadata');
    expect(matchKind({ canariesFound: 0, namedInMetadata: false, possible: { canaries: 1, chance: 0.02 } })).toBe('lead');
    expect(matchKind({ canariesFound: 0, namedInMetadata: true, possible: { canaries: 1, chance: 0.02 } })).toBe('metadata');
    expect([1, 0.5, 0.3, 1 / 216, 1 / 1234, 0.0011].map(leadOdds)).toEqual([1, 2, 3, 220, 1200, 910]);
    // Where the server says the file named the licence; otherwise after the file's name.
    expect(['copy.PARQUET', 'page.json', 'rows.ndjson', 'copy.csv'].map((name) => metadataSourceOf({ namedIn: null }, name))).toEqual(['parquet', 'page', 'page', 'file']);
    expect(metadataSourceOf({ namedIn: 'parquet_metadata' }, 'renamed.json')).toBe('parquet');
    expect(metadataSourceOf({ namedIn: 'page_license_id' }, 'saved.csv')).toBe('page');
    expect(isOwnerCopy('owner-a0000000-0000-4000-8000-0000000000f1')).toBe(true);
    expect(isOwnerCopy(licenseId)).toBe(false);
  });
});

describe('<LeakTracePage>', () => {
  let xhr: ReturnType<typeof installMockXhr>;
  beforeEach(() => {
    xhr = installMockXhr();
  });
  afterEach(() => {
    xhr.restore();
    resetPage();
    clearMockApi();
  });

  it('uploads a leaked CSV with progress and names the licence and licensee it came from', async () => {
    let answer: (response: Response) => void = () => undefined;
    const api = mockApi({
      [`GET /api/v1/products/${productId}`]: published,
      [`GET /api/v1/products/${productId}/versions`]: { items: [version()] },
      [`POST /api/v1/products/${productId}/leak-trace`]: () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    await renderTrace();
    expect(screen.getByTestId('page-title')).toHaveTextContent('Trace a leaked file');
    expect(screen.getByTestId('leak-trace-page')).toHaveTextContent('Channel gap by year');

    chooseFile(csv());
    // The bytes go out with a progress bar, then the page waits while the server looks for marks.
    await waitFor(() => expect(screen.getByTestId('leak-progress')).toHaveAttribute('data-phase', 'checking'));
    expect(screen.getByTestId('leak-progress')).toHaveTextContent("found-on-a-forum.csv received; looking for each licence's marks");
    expect(xhr.sent).toHaveLength(1);
    expect(xhr.sent[0]?.url).toBe(`/api/v1/products/${productId}/leak-trace`);
    expect(xhr.sent[0]?.headers.Authorization).toBe('Bearer test-token');
    expect((xhr.sent[0]?.body.get('file') as File).name).toBe('found-on-a-forum.csv');

    answer(json({ matches: [evidence()] }));
    const result = await screen.findByTestId('leak-result');
    expect(result).toHaveAttribute('data-outcome', 'match');
    const match = screen.getByTestId('leak-match');
    expect(match).toHaveAttribute('data-license-id', licenseId);
    expect(within(match).getByTestId('leak-license')).toHaveAttribute('href', `/console/sales/${licenseId}`);
    expect(within(match).getByTestId('leak-license')).toHaveTextContent('Licence c0000000');
    expect(within(match).getByTestId('leak-buyer')).toHaveTextContent('Harbor Logistics');
    expect(within(match).getByTestId('leak-how')).toHaveAttribute('data-kind', 'canaries');
    expect(within(match).getByTestId('leak-how')).toHaveTextContent("1 of the licence's 1 marker row is in the file");
    await waitFor(() => expect(match).toHaveTextContent('Version 3'));
    expect(result).toHaveTextContent('it comes from that copy');
    expect(api.unanswered).toEqual([]);

    // Another file starts over.
    fireEvent.click(screen.getByTestId('leak-again'));
    expect(screen.queryByTestId('leak-result')).not.toBeInTheDocument();
  });

  for (const [language, verdict, rows] of [
    ['en', 'Treat it as a lead rather than proof.', '1 marker row of this licence is in the file; rows like it arise by chance about 1 in 220 times'],
    ['zh-CN', '请视为线索，而非证据。', '文件中有该许可的 1 个标记行；类似的行偶然出现的概率约为 220 分之一'],
  ] as const) {
    it(`calls a small product's marker row a lead with its odds, not proof (${language})`, async () => {
      await i18n.changeLanguage(language);
      try {
        mockApi({
          [`GET /api/v1/products/${productId}`]: published,
          [`GET /api/v1/products/${productId}/versions`]: { items: [version()] },
          [`POST /api/v1/products/${productId}/leak-trace`]: { matches: [evidence({ canariesFound: 0, canaries: 1, possible: { canaries: 1, chance: 1 / 216 } })] },
        });
        await renderTrace();
        chooseFile(csv());
        const result = await screen.findByTestId('leak-result');
        expect(result).toHaveAttribute('data-outcome', 'match');
        expect(screen.getByTestId('leak-verdict')).toHaveAttribute('data-kind', 'lead');
        expect(screen.getByTestId('leak-verdict')).toHaveTextContent(verdict);
        expect(screen.getByTestId('leak-how')).toHaveAttribute('data-kind', 'lead');
        expect(screen.getByTestId('leak-lead')).toHaveTextContent(rows);
      } finally {
        await i18n.changeLanguage('en');
      }
    });
  }

  it('shows the bytes sent and lets the upload be cancelled', async () => {
    xhr.restore();
    xhr = installMockXhr([0.5]);
    mockApi({
      [`GET /api/v1/products/${productId}`]: published,
      [`POST /api/v1/products/${productId}/leak-trace`]: () => new Promise<Response>(() => undefined),
    });
    await renderTrace();
    chooseFile(csv('big.csv', 'district\n'.padEnd(4096, 'x')));
    await waitFor(() => expect(screen.getByTestId('leak-progress')).toHaveTextContent('Sending big.csv: 2 kB of 4.1 kB'));
    expect(screen.getByTestId('leak-progress')).toHaveAttribute('data-phase', 'sending');
    expect(within(screen.getByTestId('leak-upload-progress')).getByText('50%')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('leak-cancel'));
    await waitFor(() => expect(screen.queryByTestId('leak-progress')).not.toBeInTheDocument());
    expect(screen.queryByTestId('leak-error')).not.toBeInTheDocument();
  });

  it('says so when the file carries no licence’s marks', async () => {
    mockApi({
      [`GET /api/v1/products/${productId}`]: published,
      [`POST /api/v1/products/${productId}/leak-trace`]: { matches: [] },
    });
    await renderTrace(steward);
    chooseFile(csv('elsewhere.parquet'));
    const result = await screen.findByTestId('leak-result');
    expect(result).toHaveAttribute('data-outcome', 'none');
    expect(result).toHaveTextContent("No match: elsewhere.parquet carries no licence's marks");
    expect(result).toHaveTextContent('be a filtered or partial copy that kept none of the marker rows');
  });

  it('promises only what marker rows can show: a part of a file matches when it kept one', async () => {
    mockApi({ [`GET /api/v1/products/${productId}`]: published });
    await renderTrace();
    const page = screen.getByTestId('leak-trace-page');
    // A copy carries marker rows in proportion to its size; a small product's copy may carry one.
    expect(page).toHaveTextContent('marker rows invented for that copy alone, in proportion to its size');
    expect(page).toHaveTextContent('copies re-ordered, re-saved as CSV or with columns removed still match');
    expect(page).toHaveTextContent('A filtered or partial copy matches only if it kept at least one marker row, so a small extract may not.');
    expect(page).not.toHaveTextContent('a few invented rows');
    const zh = i18n.getFixedT('zh-CN');
    expect(zh('delivery.leakTrace.hint')).toContain('只有保留了至少一个标记行才能识别');
    expect(zh('delivery.leakTrace.intro', { product: '客流' })).toContain('数量与副本大小成正比');
    expect(zh('delivery.leakTrace.noMatchHint')).toContain('未保留任何标记行');
  });

  it('shows metadata-only evidence as a lead, the owner’s own copies, and further licences', async () => {
    const other = 'c0000000-0000-4000-8000-0000000000c8';
    mockApi({
      [`GET /api/v1/products/${productId}`]: published,
      [`GET /api/v1/products/${productId}/versions`]: { items: [version()] },
      [`POST /api/v1/products/${productId}/leak-trace`]: {
        matches: [
          evidence({ licenseId: other, buyer: 'Sunrise Health', canariesFound: 0, canaries: 2, namedInMetadata: true, namedIn: 'parquet_metadata' }),
          evidence({ licenseId: `owner-${vendor.organization.id}`, buyer: null, canariesFound: 0, canaries: 2, namedInMetadata: false }),
        ],
      },
    });
    // A steward sells no offers of its own here: the licence is named, not linked.
    await renderTrace(member('steward', ['products:manage'], 'agency'));
    // A Parquet file saved under a .json name: worded as the server read it, not after the name.
    chooseFile(csv('copy.json'));
    const match = await screen.findByTestId('leak-match');
    expect(within(match).getByTestId('leak-how')).toHaveAttribute('data-kind', 'metadata');
    expect(within(match).getByTestId('leak-how')).toHaveTextContent('The Parquet metadata names this licence');
    expect(within(match).getByTestId('leak-license').tagName).not.toBe('A');
    expect(screen.getByTestId('leak-result')).toHaveTextContent('treat this as a lead rather than proof');
    const [own] = screen.getAllByTestId('leak-other');
    expect(own).toHaveTextContent("Your organization's own copy");
  });

  it('words a data API page’s evidence as its licenseId field, not Parquet metadata, in both languages', async () => {
    mockApi({
      [`GET /api/v1/products/${productId}`]: published,
      [`GET /api/v1/products/${productId}/versions`]: { items: [version()] },
      [`POST /api/v1/products/${productId}/leak-trace`]: { matches: [evidence({ canariesFound: 1, canaries: 1, pageCanaries: 1, namedInMetadata: true, namedIn: 'page_license_id' })] },
    });
    await renderTrace();
    chooseFile(new File([JSON.stringify({ licenseId, rows: [] })], 'page.json', { type: 'application/json' }));
    const how = within(await screen.findByTestId('leak-match')).getByTestId('leak-how');
    expect(how).toHaveAttribute('data-kind', 'both');
    expect(how).toHaveAttribute('data-source', 'page');
    expect(how).toHaveTextContent('The page names this licence in its licenseId field');
    expect(how).toHaveTextContent('1 of them in data API pages');
    expect(how).not.toHaveTextContent('Parquet');
    const zh = i18n.getFixedT('zh-CN');
    expect(zh('delivery.leakTrace.metadata.page')).toBe('页面的 licenseId 字段中记有该许可');
    expect(zh('delivery.leakTrace.metadata.parquet')).toBe('Parquet 元数据中记有该许可');
  });

  it('refuses other file types before sending, and words the server’s refusals', async () => {
    const api = mockApi({
      [`GET /api/v1/products/${productId}`]: published,
      [`POST /api/v1/products/${productId}/leak-trace`]: apiError(400, 'delivery.unreadable_file', 'The file could not be read as CSV.', { reason: 'Invalid Input Error' }),
    });
    await renderTrace();
    chooseFile(new File(['PK'], 'leak.xlsx'));
    expect(await screen.findByTestId('leak-error')).toHaveTextContent('Choose a CSV (.csv), Parquet (.parquet), JSON (.json) or NDJSON (.ndjson) file.');
    expect(xhr.sent).toHaveLength(0);
    chooseFile(csv('empty.csv', ''));
    await waitFor(() => expect(screen.getByTestId('leak-error')).toHaveTextContent('The file is empty.'));
    expect(xhr.sent).toHaveLength(0);

    chooseFile(csv('broken.csv', '\u0000\u0001'));
    await waitFor(() => expect(screen.getByTestId('leak-error')).toHaveTextContent('broken.csv could not be checked'));
    expect(screen.getByTestId('leak-error')).toHaveTextContent('The file could not be read as CSV or Parquet.');

    api.set(`POST /api/v1/products/${productId}/leak-trace`, apiError(413, 'delivery.file_too_large', 'too large', { limitBytes: 2 * 1024 ** 3 }));
    chooseFile(csv('huge.csv'));
    await waitFor(() => expect(screen.getByTestId('leak-error')).toHaveTextContent('huge.csv could not be checked'));
    expect(screen.getByTestId('leak-error')).toHaveTextContent('2.1 GB');
    await settle();
  });

  it('shows a missing or foreign product as not found', async () => {
    mockApi({ [`GET /api/v1/products/${productId}`]: apiError(404, 'product.not_found', 'Product not found.') });
    await renderTrace();
    expect(await screen.findByTestId('product-not-found')).toBeInTheDocument();
  });
});
