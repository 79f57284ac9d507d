export { RowReader, RowReaderError, type JsonValue, type PageFileCanary, type RowPage, type RowReaderOptions } from './row-reader.js';
export {
  canaryCount,
  fingerprintedPage,
  leakFormatOf,
  pageCanaryAnchor,
  pageCanarySources,
  pageFileCanary,
  traceLeak,
  traceProductLeak,
  writeFingerprintedFile,
  PAGE_CANARY_ATTEMPTS,
  type FingerprintedPage,
  type FingerprintInput,
  type LeakEvidence,
  type LeakFormat,
  type PageCanaryInput,
} from './fingerprint.js';
