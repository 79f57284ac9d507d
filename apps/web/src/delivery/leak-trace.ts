import { uploadMultipart, type MultipartUploadOptions, type UploadDependencies } from '../api/multipart-upload';
import type { LeakEvidence, LeakTrace } from '../api/schema-types';

/** What leak tracing reads: the files the platform delivers. */
/** Files and query-API pages (JSON, NDJSON) as delivered: every one carries its licensee's canaries. */
export const LEAK_FILE_EXTENSIONS = ['.csv', '.parquet', '.json', '.ndjson'] as const;

export function isTraceableFile(name: string): boolean {
  const lower = name.toLowerCase();
  return LEAK_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * Sends a leaked file to `POST /api/v1/products/{id}/leak-trace` (multipart field "file"), with
 * upload progress; resolves to the licences the file carries evidence of, strongest first.
 */
export function traceLeak(productId: string, options: MultipartUploadOptions, dependencies?: UploadDependencies): Promise<LeakTrace> {
  return uploadMultipart<LeakTrace>(`/api/v1/products/${encodeURIComponent(productId)}/leak-trace`, options, dependencies);
}

/**
 * How a licence matched: canary rows only it was given, its name in the file's metadata (Parquet
 * metadata, a page's licenseId), or both; or only canary rows too likely by chance to prove
 * anything (`lead`: a small product's).
 */
export type LeakMatchKind = 'canaries' | 'metadata' | 'both' | 'lead';

export function matchKind(evidence: Pick<LeakEvidence, 'canariesFound' | 'namedInMetadata' | 'possible'>): LeakMatchKind {
  if (evidence.canariesFound > 0) return evidence.namedInMetadata ? 'both' : 'canaries';
  return evidence.namedInMetadata || !evidence.possible ? 'metadata' : 'lead';
}

/** "1 in N": how often rows like a lead's arise by chance, rounded to a plain figure. */
export function leadOdds(chance: number): number {
  const odds = 1 / chance;
  if (odds < 10) return Math.max(1, Math.round(odds));
  const magnitude = 10 ** (Math.floor(Math.log10(odds)) - 1);
  return Math.round(odds / magnitude) * magnitude;
}

/**
 * Where a file names its licence: a Parquet file in its key-value metadata, a data API page
 * (JSON, NDJSON) in its `licenseId` field, as the server read it (`namedIn`). Evidence that names
 * nothing is worded after the file's name; CSV carries no metadata, so any other name is worded
 * generically.
 */
export type LeakMetadataSource = 'parquet' | 'page' | 'file';

export function metadataSourceOf(evidence: Pick<LeakEvidence, 'namedIn'>, filename: string): LeakMetadataSource {
  if (evidence.namedIn === 'parquet_metadata') return 'parquet';
  if (evidence.namedIn === 'page_license_id') return 'page';
  const lower = filename.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.json') || lower.endsWith('.ndjson')) return 'page';
  return 'file';
}

/** The owner's own copies are traced as `owner-<organization id>`, not as a licence. */
export function isOwnerCopy(licenseId: string): boolean {
  return licenseId.startsWith('owner-');
}
