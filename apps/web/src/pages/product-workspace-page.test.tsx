import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EditorView } from '@uiw/react-codemirror';
import type { InputCandidate, ProductVersion } from '../api/schema-types';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { apiError, clearMockApi, json, mockApi, type MockApi } from '../test/mock-api';
import { gateReport, product, productInput, run } from '../test/product-fixtures';
import { renderPage, resetPage, settle } from '../test/render-page';
import { ProductWorkspacePage } from './product-workspace-page';
import { ProductsPage } from './products-page';

const vendor = member('vendor_admin', ['products:manage', 'access_requests:read', 'access_requests:file'], 'vendor');

const candidate = (overrides: Partial<InputCandidate> = {}): InputCandidate => ({
  kind: 'dataset',
  id: 'd0000000-0000-4000-8000-000000000001',
  slug: 'urban-channel-construction-survey-2011-2015',
  titleZh: '城市渠道建设调查',
  titleEn: 'Urban channel construction survey',
  organizationName: 'Statistics Bureau',
  classification: 'open',
  access: 'free',
  rowCount: 5,
  ...overrides,
});

const writes = (api: MockApi) => api.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${new URL(request.url).pathname}`);

/** Replaces the whole text of the SQL editor, as typing would. */
function typeSql(text: string) {
  const view = EditorView.findFromDOM(screen.getByTestId('sql-editor').querySelector<HTMLElement>('.cm-editor')!)!;
  act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

const button = (testId: string) => screen.getByTestId(testId).closest('button') ?? screen.getByTestId(testId);

async function openWorkspace(routes: Record<string, unknown>, tab?: string) {
  const draft = (routes['GET /api/v1/products/:id'] as ReturnType<typeof product> | undefined) ?? product();
  const api = mockApi({ 'GET /api/v1/products/:id': draft, 'GET /api/v1/products/input-candidates': { items: [candidate()] }, ...routes });
  await renderPage(<ProductWorkspacePage />, { path: '/console/products/:id', route: `/console/products/${draft.id}${tab ? `?tab=${tab}` : ''}`, me: vendor });
  return api;
}

describe('<ProductWorkspacePage> SQL', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('refuses empty and blank SQL alike, beside the editor, with the buttons off and the reason shown', async () => {
    const api = await openWorkspace({});
    await screen.findByTestId('sql-card');
    expect(screen.queryByTestId('sql-problem')).not.toBeInTheDocument();
    expect(button('dry-run')).toBeEnabled();

    for (const text of ['', '  \n\t ']) {
      typeSql(text);
      await settle();
      expect(screen.getByTestId('sql-problem')).toHaveTextContent('The SQL is empty: write one SELECT over the inputs');
      expect(button('dry-run')).toBeDisabled();
      expect(button('sql-save')).toBeDisabled();
      expect(button('run-start')).toBeDisabled();
    }
    expect(writes(api)).toEqual([]);

    typeSql('SELECT 1 AS one FROM survey');
    await settle();
    expect(screen.queryByTestId('sql-problem')).not.toBeInTheDocument();
    expect(button('dry-run')).toBeEnabled();
    expect(button('sql-save')).toBeEnabled();
  });

  it('counts the characters and refuses SQL over the limit, saying the limit', async () => {
    const api = await openWorkspace({});
    await screen.findByTestId('sql-card');
    expect(screen.getByTestId('sql-length')).toHaveTextContent('31 / 100,000 characters');

    typeSql(`SELECT 1 AS one FROM survey -- ${'x'.repeat(100_000 - 31)}`);
    await settle();
    expect(screen.getByTestId('sql-length')).toHaveTextContent('100,000 / 100,000 characters');
    expect(screen.queryByTestId('sql-problem')).not.toBeInTheDocument();

    typeSql(`SELECT 1 AS one FROM survey -- ${'x'.repeat(170_000)}`);
    await settle();
    expect(screen.getByTestId('sql-length')).toHaveTextContent('170,031 / 100,000 characters');
    expect(screen.getByTestId('sql-problem')).toHaveTextContent('The SQL has 170,031 characters, more than the limit of 100,000');
    expect(button('dry-run')).toBeDisabled();
    expect(button('sql-save')).toBeDisabled();
    expect(button('run-start')).toBeDisabled();
    expect(writes(api)).toEqual([]);
  });

  it("shows the API's refusals of the SQL beside the editor, with the limit from their details", async () => {
    const api = await openWorkspace({
      'PATCH /api/v1/products/:id': () =>
        apiError(400, 'request.invalid', 'The request is invalid.', [{ field: 'sql', messages: ['sql must be at most 50000 characters long'], context: { maxLength: 50_000 } }]),
      'POST /api/v1/products/:id/dry-run': () => apiError(413, 'request.too_large', 'The request body is larger than the limit of 1048576 bytes.', { limitBytes: 1_048_576 }),
    });
    await screen.findByTestId('sql-card');
    typeSql('SELECT 2 AS two FROM survey');
    await settle();

    fireEvent.click(button('sql-save'));
    expect(await screen.findByTestId('sql-refused')).toHaveTextContent('The SQL is longer than the limit of 50,000 characters');
    fireEvent.click(button('dry-run'));
    await waitFor(() => expect(screen.getByTestId('sql-refused')).toHaveTextContent('The SQL is too large to send: a request may be at most 1 MB, and the SQL at most 100,000 characters.'));
    expect(writes(api)).toEqual([`PATCH /api/v1/products/${product().id}`, `POST /api/v1/products/${product().id}/dry-run`]);

    // Editing the SQL clears the refusal.
    typeSql('SELECT 3 AS three FROM survey');
    await settle();
    expect(screen.queryByTestId('sql-refused')).not.toBeInTheDocument();
  });

  it("hides the last run's outcome as soon as a new run is asked for", async () => {
    const last = run({ id: 'c0000000-0000-4000-8000-0000000000d1', status: 'duplicate', stage: null, progress: 100, version: 1, finishedAt: '2026-11-20T08:05:00.000Z' });
    let start: (response: Response) => void = () => undefined;
    await openWorkspace({
      'GET /api/v1/products/:id': product({ latestRun: last }),
      'GET /api/v1/products/:id/runs/:runId': (request: Request) =>
        new URL(request.url).pathname.endsWith(last.id) ? last : run({ id: 'c0000000-0000-4000-8000-0000000000d2', status: 'queued', stage: null, progress: 0, startedAt: null }),
      'POST /api/v1/products/:id/runs': () => new Promise<Response>((resolve) => (start = resolve)),
    });
    expect(await screen.findByTestId('run-duplicate')).toBeInTheDocument();

    fireEvent.click(button('run-start'));
    await settle();
    expect(screen.queryByTestId('run-duplicate')).not.toBeInTheDocument();
    expect(screen.queryByTestId('run-progress')).not.toBeInTheDocument();

    start(json(run({ id: 'c0000000-0000-4000-8000-0000000000d2', status: 'queued', stage: null, progress: 0, startedAt: null }), 201));
    await waitFor(() => expect(screen.getByTestId('run-progress')).toHaveAttribute('data-status', 'queued'));
    expect(screen.queryByTestId('run-duplicate')).not.toBeInTheDocument();
  });

  it("drops a dry run's refusal once a run of the SQL is asked for", async () => {
    await openWorkspace({
      'POST /api/v1/products/:id/dry-run': () =>
        apiError(400, 'derive.unknown_column', 'Column "nosuchcol" is not a column of the inputs in scope.', { column: 'nosuchcol', line: 1, column_number: 8 }),
      'POST /api/v1/products/:id/runs': () => json(run({ id: 'c0000000-0000-4000-8000-0000000000d3', status: 'queued', stage: null, progress: 0, startedAt: null }), 201),
      'GET /api/v1/products/:id/runs/:runId': run({ id: 'c0000000-0000-4000-8000-0000000000d3', status: 'queued', stage: null, progress: 0, startedAt: null }),
    });
    fireEvent.click(button('dry-run'));
    expect(await screen.findByTestId('derive-error')).toHaveAttribute('data-code', 'derive.unknown_column');
    fireEvent.click(button('run-start'));
    await waitFor(() => expect(screen.getByTestId('run-progress')).toHaveAttribute('data-status', 'queued'));
    expect(screen.queryByTestId('derive-error')).toBeNull();
  });

  it("lists each input's columns with their type and tags inside the column's own row", async () => {
    await openWorkspace({
      'GET /api/v1/products/:id': product({
        inputs: [
          productInput({
            columns: [
              { name: '年份', type: 'BIGINT', sensitivity: 'public', pseudonym: false },
              { name: 'patient_id', type: 'VARCHAR', sensitivity: 'personal', pseudonym: true },
            ],
          }),
        ],
      }),
    });
    const rows = await within(await screen.findByTestId('sql-schema')).findAllByTestId('sql-schema-column');
    expect(rows.map((row) => row.textContent)).toEqual([expect.stringMatching(/^"年份".*BIGINT$/), expect.stringMatching(/^patient_id.*VARCHAR.*Personal.*Pseudonym/)]);
    expect(within(rows[1]!).getByTestId('sql-schema-column-facts')).toHaveTextContent('VARCHAR');
  });
});

describe('<ProductWorkspacePage> inputs', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('refuses an SQL reserved word as a name and a weight of 0, saying why, and keeps the 0 as typed', async () => {
    const api = await openWorkspace({});
    await screen.findByTestId('inputs-editor');
    fireEvent.change(screen.getByTestId('input-name-0'), { target: { value: 'select' } });
    await settle();
    const row = screen.getAllByTestId('input-row')[0]!;
    expect(within(row).getByTestId('input-problem-name_reserved')).toHaveTextContent('A reserved word of SQL: the SQL could not read it unquoted.');
    expect(button('inputs-save')).toBeDisabled();

    fireEvent.change(screen.getByTestId('input-name-0'), { target: { value: 'orders' } });
    const weight = within(row).getByRole('spinbutton');
    fireEvent.change(weight, { target: { value: '0' } });
    fireEvent.blur(weight);
    await settle();
    expect(weight).toHaveValue('0');
    expect(within(row).getByTestId('input-problem-weight_invalid')).toHaveTextContent('A whole number from 1 to 1,000,000: every input gets a share, so 0 is not allowed.');
    expect(within(row).queryByTestId('input-problem-name_reserved')).not.toBeInTheDocument();
    expect(button('inputs-save')).toBeDisabled();
    expect(writes(api)).toEqual([]);
  });
});

describe('<ProductWorkspacePage> runs', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  const cancelled = run({ status: 'cancelled', stage: 'materializing', progress: 5, finishedAt: '2026-11-20T08:00:09.000Z' });

  it('shows a run cancelled during Compute as stopped there, not as under way', async () => {
    await openWorkspace({ 'GET /api/v1/products/:id': product({ latestRun: cancelled }), 'GET /api/v1/products/:id/runs/:runId': cancelled });
    const card = await screen.findByTestId('run-progress');
    expect(within(card).getByTestId('run-cancelled')).toHaveTextContent('The run was cancelled during “Compute”: no version was made.');
    const steps = within(card).getByTestId('run-steps');
    const stopped = within(steps).getByTestId('run-step-cancelled');
    expect(stopped.closest('.ant-steps-item')).toHaveTextContent('Compute');
    expect(steps.querySelector('.ant-steps-item-process')).toBeNull();
    // The bar (stuck where the run stopped) is not shown.
    expect(within(card).queryByTestId('run-progress-bar')).not.toBeInTheDocument();
  });

  it('says "Cancelled" and where in the Runs tab, and why a failed run failed, in both languages', async () => {
    const failed = run({ id: 'c0000000-0000-4000-8000-0000000000f2', status: 'failed', stage: 'validating', errorCode: 'derive.syntax', errorMessage: 'Parser Error: syntax error at or near "FORM"', finishedAt: '2026-11-20T08:00:02.000Z' });
    const queued = run({ id: 'c0000000-0000-4000-8000-0000000000f3', status: 'cancelled', stage: null, progress: 0, startedAt: null, finishedAt: '2026-11-20T08:00:02.000Z' });
    await openWorkspace({ 'GET /api/v1/products/:id/runs': { items: [cancelled, failed, queued] } }, 'runs');
    const results = async () => (await within(await screen.findByTestId('run-history')).findAllByTestId('run-result')).map((cell) => [cell.getAttribute('data-outcome'), cell.textContent]);
    expect(await results()).toEqual([
      ['cancelled', 'Cancelled during “Compute”'],
      ['failed', 'The SQL has a syntax error.'],
      ['cancelled', 'Cancelled before it started'],
    ]);
    await act(() => i18n.changeLanguage('zh-CN'));
    await waitFor(async () => expect((await results())[0]).toEqual(['cancelled', '在“计算”阶段取消']));
    expect((await results())[2]).toEqual(['cancelled', '开始前已取消']);
  });
});

describe('<ProductWorkspacePage> versions', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('names each exact input by its title and version number, the id only to copy', async () => {
    const version: ProductVersion = {
      id: 'e0000000-0000-4000-8000-000000000001',
      version: 1,
      rowCount: 5,
      parquetBytes: 2048,
      schema: [{ name: 'year', type: 'BIGINT' }],
      profile: [],
      gateReport: gateReport(),
      inputs: [
        {
          name: 'survey',
          weight: 2,
          datasetVersionId: 'f1234567-0000-4000-8000-000000000001',
          productVersionId: null,
          kind: 'dataset',
          sourceId: 'd0000000-0000-4000-8000-000000000001',
          slug: 'urban-channel-construction-survey-2011-2015',
          titleZh: '城市渠道建设调查',
          titleEn: 'Urban channel construction survey',
          version: 3,
        },
        {
          name: 'rain',
          weight: 1,
          datasetVersionId: null,
          productVersionId: 'f7654321-0000-4000-8000-000000000002',
          kind: 'product',
          sourceId: 'b0000000-0000-4000-8000-0000000000b2',
          slug: 'rain-days',
          titleZh: '雨天',
          titleEn: 'Rain days',
          version: 4,
        },
      ],
      sql: 'SELECT year FROM survey JOIN rain USING (year)',
      createdAt: '2026-11-20T08:00:00.000Z',
    };
    await openWorkspace({ 'GET /api/v1/products/:id': product({ currentVersion: version }), 'GET /api/v1/products/:id/versions': { items: [version] } }, 'versions');
    const inputs = await screen.findAllByTestId('version-input');
    expect(inputs.map((input) => [within(input).getByTestId('version-input-title').textContent, within(input).getByTestId('version-input-version').textContent])).toEqual([
      ['Urban channel construction survey', 'dataset · version 3'],
      ['Rain days', 'product · version 4'],
    ]);
    expect(within(inputs[0]!).getByTestId('version-input-title').closest('a')).toHaveAttribute('href', '/catalog/urban-channel-construction-survey-2011-2015');
    expect(within(inputs[1]!).getByTestId('version-input-title').closest('a')).toHaveAttribute('href', '/products/rain-days');
    expect(within(inputs[0]!).getByTestId('version-input-id')).toHaveTextContent('Version id f1234567…');
    expect(within(inputs[0]!).getByRole('button', { name: /copy/i })).toBeInTheDocument();
  });
});

describe('<ProductWorkspacePage> details', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('counts the description and refuses one over 8,000 characters instead of cutting it', async () => {
    const api = await openWorkspace({ 'PATCH /api/v1/products/:id': (request: Request) => request.json().then((body) => product(body as object)) }, 'details');
    const form = await screen.findByTestId('product-metadata-form');
    const description = screen.getByTestId('product-form-description-en');
    const long = 'a'.repeat(8_001);
    fireEvent.change(description, { target: { value: long } });
    await settle();
    // Kept whole, with the count over the limit.
    expect(description).toHaveValue(long);
    expect(form).toHaveTextContent('8,001 / 8,000');
    fireEvent.click(screen.getByTestId('product-metadata-save'));
    expect(await within(form).findByText('At most 8,000 characters: shorten the text.')).toBeInTheDocument();
    expect(writes(api)).toEqual([]);

    fireEvent.change(description, { target: { value: 'a'.repeat(8_000) } });
    fireEvent.click(screen.getByTestId('product-metadata-save'));
    await waitFor(() => expect(writes(api)).toEqual([`PATCH /api/v1/products/${product().id}`]));
  });
});

describe('<ProductsPage> create form', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('marks only what is missing when "Create draft" is pressed on an empty form: the weight of 1 stays as it is', async () => {
    const api = mockApi({ 'GET /api/v1/products': { items: [] }, 'GET /api/v1/products/input-candidates': { items: [candidate()] } });
    await renderPage(<ProductsPage />, { path: '/console/products', route: '/console/products', me: vendor });
    await screen.findByTestId('products-table');
    fireEvent.click(screen.getByTestId('product-create-open'));
    await settle();
    fireEvent.click(screen.getByTestId('product-create-submit'));
    await settle(100);

    const row = screen.getAllByTestId('input-row')[0]!;
    expect(within(row).getByTestId('input-problem-source_required')).toBeInTheDocument();
    expect(within(row).getByTestId('input-problem-name_required')).toBeInTheDocument();
    expect(screen.getByTestId('input-name-0').closest('.ant-input-outlined, .ant-input')).toHaveClass('ant-input-status-error');
    const weight = within(row).getByRole('spinbutton');
    expect(weight).toHaveValue('1');
    expect(weight.closest('.ant-input-number')).not.toHaveClass('ant-input-number-status-error');
    expect(within(row).queryByTestId('input-problem-weight_invalid')).not.toBeInTheDocument();
    expect(api.requests.some((request) => request.method === 'POST')).toBe(false);
  });
});
