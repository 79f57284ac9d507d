import { refreshSession } from './client';
import { ApiError, isErrorBody } from './api-error';
import { sessionStore } from '../auth/session-store';
import { i18n } from '../i18n/i18n';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface MultipartUploadOptions {
  file: File;
  onProgress?(progress: UploadProgress): void;
  signal?: AbortSignal;
}

/** What an upload needs from the browser and the session; tests pass their own. */
export interface UploadDependencies {
  createRequest(): XMLHttpRequest;
  getAccessToken(): string | null;
  refreshAccessToken(): Promise<string | null>;
  onSessionExpired(): void;
  getLanguage(): string;
}

export const browserUploadDependencies: UploadDependencies = {
  createRequest: () => new XMLHttpRequest(),
  getAccessToken: sessionStore.getAccessToken,
  refreshAccessToken: async () => (await refreshSession())?.accessToken ?? null,
  onSessionExpired: () => sessionStore.signOut('expired'),
  getLanguage: () => i18n.language,
};

interface RawResponse {
  status: number;
  statusText: string;
  body: unknown;
}

/**
 * POSTs a file to `url` as the multipart field "file" and resolves to the JSON answer.
 * XMLHttpRequest rather than fetch: only it reports upload progress. Like the API client, it
 * refreshes an expired access token once and sends again; an error answer is an ApiError, a
 * cancelled upload an AbortError (isAbortError).
 */
export async function uploadMultipart<Answer>(url: string, options: MultipartUploadOptions, dependencies: UploadDependencies = browserUploadDependencies): Promise<Answer> {
  let response = await send(url, options, dependencies.getAccessToken(), dependencies);
  if (response.status === 401) {
    const token = await dependencies.refreshAccessToken();
    if (!token) {
      dependencies.onSessionExpired();
    } else {
      response = await send(url, options, token, dependencies);
    }
  }
  if (response.status >= 200 && response.status < 300) return response.body as Answer;
  if (isErrorBody(response.body)) {
    const { code, message, details } = response.body.error;
    throw new ApiError(response.status, code, message, details);
  }
  throw new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`);
}

function send(url: string, options: MultipartUploadOptions, token: string | null, dependencies: UploadDependencies): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const request = dependencies.createRequest();
    const abort = () => request.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const settle = () => options.signal?.removeEventListener('abort', abort);

    request.open('POST', url);
    request.withCredentials = true;
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('Accept-Language', dependencies.getLanguage());
    request.upload.onprogress = (event) => {
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : options.file.size });
    };
    request.onload = () => {
      settle();
      resolve({ status: request.status, statusText: request.statusText, body: parseJson(request.responseText) });
    };
    request.onerror = () => {
      settle();
      reject(ApiError.network(new Error('The upload could not reach the server.')));
    };
    request.onabort = () => {
      settle();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    const body = new FormData();
    body.append('file', options.file, options.file.name);
    request.send(body);
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
