export { RowReader, RowReaderError, type JsonValue, type RowPage, type RowReaderOptions } from './row-reader.js';
export { canaryCount, traceLeak, traceProductLeak, writeFingerprintedFile, type FingerprintInput, type LeakEvidence } from './fingerprint.js';
