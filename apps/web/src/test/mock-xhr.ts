// XMLHttpRequest (used for uploads with progress) answered by the same routes as fetch
// (mock-api.ts): each send reports its progress, then asks `globalThis.__answerFetch`.

export interface SentUpload {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The multipart body as the page built it. */
  body: FormData;
}

interface UploadEvent {
  loaded: number;
  total: number;
  lengthComputable: boolean;
}

/**
 * Installs a stand-in XMLHttpRequest until the returned function is called. `sent` lists every
 * upload; `progressSteps` are the fractions of the file reported before the answer is asked
 * for (the answer may wait on a promise the test resolves, to look at the page meanwhile).
 */
export function installMockXhr(progressSteps: number[] = [0.5, 1]): { sent: SentUpload[]; restore(): void } {
  const sent: SentUpload[] = [];
  const original = globalThis.XMLHttpRequest;

  class MockXhr {
    upload: { onprogress: ((event: UploadEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    withCredentials = false;
    status = 0;
    statusText = '';
    responseText = '';
    private method = 'GET';
    private url = '';
    private headers: Record<string, string> = {};
    private aborted = false;

    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    abort() {
      this.aborted = true;
      setTimeout(() => this.onabort?.(), 0);
    }
    send(body: FormData) {
      sent.push({ method: this.method, url: this.url, headers: this.headers, body });
      const file = body.get('file');
      const size = file instanceof Blob ? file.size : 0;
      void (async () => {
        for (const step of progressSteps) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (this.aborted) return;
          this.upload.onprogress?.({ loaded: Math.round(size * step), total: size, lengthComputable: true });
        }
        const answer = globalThis.__answerFetch;
        if (!answer) throw new Error(`No API answers are set up for this test (${this.url})`);
        const response = await answer(new Request(new URL(this.url, 'http://localhost'), { method: this.method, headers: this.headers }));
        if (this.aborted) return;
        this.status = response.status;
        this.statusText = response.statusText;
        this.responseText = await response.text();
        this.onload?.();
      })();
    }
  }

  globalThis.XMLHttpRequest = MockXhr as unknown as typeof XMLHttpRequest;
  return {
    sent,
    restore() {
      globalThis.XMLHttpRequest = original;
    },
  };
}
