import { api } from '../api/client';
import { saveDownload } from '../api/file-download';

export { filenameFromDisposition } from '../api/file-download';
import type { DownloadFormat } from '../api/schema-types';

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
  await saveDownload(
    () =>
      api.GET('/api/v1/catalog/datasets/{ref}/download', {
        params: { path: { ref }, query: { format, ...(format === 'csv' ? { bom: true } : {}) } },
        parseAs: 'blob',
      }),
    `${ref}.${format}`,
  );
}
