import { ApiError } from './api-error';

/** The file name of a Content-Disposition header (plain or RFC 5987 form), if any. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain?.[2] ?? plain?.[1];
  return name ? name.trim() : null;
}

interface BlobResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Fetches a file through the API client (so the request carries the session's bearer token,
 * refreshed when it expired; call with `parseAs: 'blob'`) and saves it under the name the
 * server gives, else `fallbackName`. `bom` puts a byte order mark before a text file:
 * spreadsheet programs need it to read Chinese as UTF-8. Returns the file name.
 */
export async function saveDownload(request: () => Promise<BlobResult>, fallbackName: string, options: { bom?: boolean } = {}): Promise<string> {
  let result: BlobResult;
  try {
    result = await request();
  } catch (cause) {
    throw ApiError.network(cause);
  }
  const body = result.data as Blob | undefined;
  if (!result.response.ok || typeof body?.text !== 'function') throw ApiError.fromResponse(result.response, result.error);
  const filename = filenameFromDisposition(result.response.headers.get('Content-Disposition')) ?? fallbackName;
  if (options.bom) {
    const text = await body.text();
    saveBlob(new Blob([text.startsWith('\ufeff') ? text : `\ufeff${text}`], { type: 'text/csv;charset=utf-8' }), filename);
  } else {
    saveBlob(body, filename);
  }
  return filename;
}

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the blob is released.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
