export { RowReader, RowReaderError, type JsonValue, type RowPage, type RowReaderOptions } from './row-reader.js';
