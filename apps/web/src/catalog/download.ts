import { ApiError } from '../api/api-error';
import { api } from '../api/client';
import type { DownloadFormat } from '../api/schema-types';

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

/**
 * The URL a visitor without a session can follow directly (open data). CSV from the browser
 * carries a byte order mark: people open it in spreadsheet programs, which need it for Chinese.
 */
export function downloadUrl(ref: string, format: DownloadFormat): string {
  return `/api/v1/catalog/datasets/${encodeURIComponent(ref)}/download?format=${format}${format === 'csv' ? '&bom=true' : ''}`;
}

/**
 * Downloads through the API client, so the request carries the session's bearer token
 * (conditional data needs it) and an expired token is refreshed; then saves the file.
 */
export async function downloadDatasetFile(ref: string, format: DownloadFormat): Promise<void> {
  let result: Awaited<ReturnType<typeof request>>;
  try {
    result = await request(ref, format);
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok || !(result.data instanceof Blob)) throw ApiError.fromResponse(result.response, result.error);
  const filename = filenameFromDisposition(result.response.headers.get('Content-Disposition')) ?? `${ref}.${format}`;
  saveBlob(result.data, filename);
}

function request(ref: string, format: DownloadFormat) {
  return api.GET('/api/v1/catalog/datasets/{ref}/download', {
    params: { path: { ref }, query: { format, ...(format === 'csv' ? { bom: true } : {}) } },
    parseAs: 'blob',
  });
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
