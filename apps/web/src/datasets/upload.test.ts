import { ApiError } from '../api/api-error';
import { ingestion } from '../test/catalog-fixtures';
import { isAbortError, uploadDatasetFile, type UploadDependencies, type UploadProgress } from './upload';

/** A stand-in for XMLHttpRequest that answers each send with the next scripted response. */
class ScriptedRequest {
  static script: Array<{ status: number; body: unknown; progress?: number[] } | 'network-error'> = [];
  static sent: Array<{ url: string; headers: Record<string, string>; body: FormData }> = [];
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  withCredentials = false;
  status = 0;
  statusText = '';
  responseText = '';
  private url = '';
  private headers: Record<string, string> = {};

  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  abort() {
    setTimeout(() => this.onabort?.(), 0);
  }
  send(body: FormData) {
    ScriptedRequest.sent.push({ url: this.url, headers: this.headers, body });
    const next = ScriptedRequest.script.shift();
    setTimeout(() => {
      if (!next) return;
      if (next === 'network-error') {
        this.onerror?.();
        return;
      }
      for (const loaded of next.progress ?? []) this.upload.onprogress?.({ loaded, total: 100, lengthComputable: true });
      this.status = next.status;
      this.responseText = JSON.stringify(next.body);
      this.onload?.();
    }, 0);
  }
}

function dependencies(overrides: Partial<UploadDependencies> = {}): UploadDependencies & { expired: number } {
  const deps = {
    expired: 0,
    createRequest: () => new ScriptedRequest() as unknown as XMLHttpRequest,
    getAccessToken: () => 'old-token',
    refreshAccessToken: async () => 'new-token',
    onSessionExpired: () => {
      deps.expired += 1;
    },
    getLanguage: () => 'zh-CN',
    ...overrides,
  };
  return deps;
}

const file = new File(['道路名称,vehicles\n中山路,12\n'], '交通.csv', { type: 'text/csv' });

describe('uploadDatasetFile', () => {
  beforeEach(() => {
    ScriptedRequest.script = [];
    ScriptedRequest.sent = [];
  });

  it('sends the file as multipart field "file" with the bearer token and reports progress', async () => {
    const queued = ingestion({ status: 'queued', progress: 0, version: null });
    ScriptedRequest.script = [{ status: 202, body: queued, progress: [40, 100] }];
    const progress: UploadProgress[] = [];
    const result = await uploadDatasetFile({ datasetId: 'd1', file, onProgress: (event) => progress.push(event) }, dependencies());
    expect(result).toEqual(queued);
    expect(progress).toEqual([
      { loaded: 40, total: 100 },
      { loaded: 100, total: 100 },
    ]);
    const [sent] = ScriptedRequest.sent;
    expect(sent?.url).toBe('/api/v1/agency/datasets/d1/uploads');
    expect(sent?.headers).toMatchObject({ Authorization: 'Bearer old-token', 'Accept-Language': 'zh-CN' });
    expect((sent?.body.get('file') as File).name).toBe('交通.csv');
  });

  it('refreshes an expired token once and sends again', async () => {
    ScriptedRequest.script = [
      { status: 401, body: { error: { code: 'auth.unauthenticated', message: 'expired' } } },
      { status: 202, body: ingestion({ status: 'queued' }) },
    ];
    await uploadDatasetFile({ datasetId: 'd1', file }, dependencies());
    expect(ScriptedRequest.sent.map((request) => request.headers.Authorization)).toEqual(['Bearer old-token', 'Bearer new-token']);
  });

  it('ends the session when the token cannot be refreshed', async () => {
    ScriptedRequest.script = [{ status: 401, body: { error: { code: 'auth.unauthenticated', message: 'expired' } } }];
    const deps = dependencies({ refreshAccessToken: async () => null });
    await expect(uploadDatasetFile({ datasetId: 'd1', file }, deps)).rejects.toMatchObject({ status: 401, code: 'auth.unauthenticated' });
    expect(deps.expired).toBe(1);
  });

  it('turns an error body into an ApiError with its details', async () => {
    ScriptedRequest.script = [{ status: 413, body: { error: { code: 'catalog.upload_too_large', message: 'too large', details: { limitBytes: 1024 } } } }];
    const failure = await uploadDatasetFile({ datasetId: 'd1', file }, dependencies()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 413, code: 'catalog.upload_too_large', details: { limitBytes: 1024 } });
  });

  it('reports a network failure and a cancelled upload', async () => {
    ScriptedRequest.script = ['network-error'];
    await expect(uploadDatasetFile({ datasetId: 'd1', file }, dependencies())).rejects.toMatchObject({ code: 'network_error' });

    const controller = new AbortController();
    const pending = uploadDatasetFile({ datasetId: 'd1', file, signal: controller.signal }, dependencies());
    controller.abort();
    expect(isAbortError(await pending.catch((error: unknown) => error))).toBe(true);
  });
});
