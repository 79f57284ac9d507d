export {
  EU_ACCESS_RIGHTS,
  EU_DATA_THEMES,
  EU_FREQUENCIES,
  FORMAT_LABELS,
  MEDIA_TYPES,
  euAccessRightUri,
  euDataThemeUri,
  euFileTypeUri,
  euFrequencyUri,
  euLanguageUri,
  type DownloadFormat,
} from './shared.js';
export * from './dcat.js';
export * from './ckan.js';
export * from './ckan-harvest.js';
