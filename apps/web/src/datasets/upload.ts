import type { Ingestion } from '../api/schema-types';
import { browserUploadDependencies, uploadMultipart, type MultipartUploadOptions, type UploadDependencies } from '../api/multipart-upload';

export { isAbortError, type UploadDependencies, type UploadProgress } from '../api/multipart-upload';

export interface UploadOptions extends MultipartUploadOptions {
  datasetId: string;
}

/**
 * Sends a data file to `POST /api/v1/agency/datasets/{id}/uploads` as multipart field "file",
 * with upload progress. Resolves to the queued ingestion.
 */
export function uploadDatasetFile(options: UploadOptions, dependencies: UploadDependencies = browserUploadDependencies): Promise<Ingestion> {
  return uploadMultipart<Ingestion>(`/api/v1/agency/datasets/${encodeURIComponent(options.datasetId)}/uploads`, options, dependencies);
}
