/**
 * The catalog as DCAT-AP 3 JSON-LD, for European and national portals that harvest DCAT.
 * Nodes are written with compact IRIs and explicit `@id` / `@value` / `@type`, so the output
 * means the same to any JSON-LD processor without relying on term definitions.
 */
import type { CatalogDatasetView, CatalogLinks } from '../catalog-view.js';
import { DATASET_LICENSES, THEMES, type Term, type Theme } from '../vocabulary.js';
import {
  DOWNLOAD_FORMATS,
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
  hasHan,
  isoDate,
  trimBaseUrl,
  type DownloadFormat,
} from './shared.js';

export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** JSON-LD language tags of the two catalog languages. */
export const DCAT_LANGUAGES = { zh: 'zh-CN', en: 'en' } as const;

export interface DcatCatalogMeta {
  title: Term;
  description: Term;
  publisherName: string;
  /** ISO date or timestamp the catalog was first published. */
  issued?: string;
}

/** A JSON-LD node as written by these mappings. */
export type JsonLdNode = { [key: string]: unknown };

type LiteralNode = { '@value': string; '@language'?: string; '@type'?: string };

/** ADMS publisher type of city agencies. */
const LOCAL_AUTHORITY = 'http://purl.org/adms/publishertype/LocalAuthority';

const ref = (iri: string): { '@id': string } => ({ '@id': iri });

function texts(term: Term): LiteralNode[] {
  const values: LiteralNode[] = [];
  if (term.zh.trim()) values.push({ '@value': term.zh, '@language': DCAT_LANGUAGES.zh });
  if (term.en.trim()) values.push({ '@value': term.en, '@language': DCAT_LANGUAGES.en });
  return values;
}

/** A literal in Chinese when it contains Chinese characters, else without a language. */
function literal(text: string): LiteralNode | string {
  return hasHan(text) ? { '@value': text, '@language': DCAT_LANGUAGES.zh } : text;
}

/** xsd:date for a plain date, xsd:dateTime for a timestamp. */
function dateLiteral(value: string): LiteralNode {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? { '@value': value, '@type': 'xsd:date' } : { '@value': value, '@type': 'xsd:dateTime' };
}

/** IRIs of the nodes the catalog describes; the landing pages are the links' dataset pages. */
export function dcatIris(links: CatalogLinks) {
  const base = trimBaseUrl(links.baseUrl);
  return {
    catalog: `${base}/#catalog`,
    catalogPublisher: `${base}/#publisher`,
    dataService: `${base}/#api`,
    agency: (agencyId: string) => `${base}/#agency-${agencyId}`,
    theme: (theme: Theme) => `${base}/vocabulary/theme/${theme}`,
    dataset: (dataset: CatalogDatasetView) => `${links.datasetPage(dataset)}#dataset`,
    distribution: (dataset: CatalogDatasetView, name: string) => `${links.datasetPage(dataset)}#distribution-${name}`,
  };
}

function themes(dataset: CatalogDatasetView, links: CatalogLinks): JsonLdNode[] {
  const eu = EU_DATA_THEMES[dataset.theme];
  const own: JsonLdNode = {
    '@id': dcatIris(links).theme(dataset.theme),
    '@type': 'skos:Concept',
    'skos:prefLabel': texts(THEMES[dataset.theme]),
  };
  return eu ? [ref(euDataThemeUri(eu)), own] : [own];
}

function license(dataset: CatalogDatasetView): JsonLdNode {
  const terms = DATASET_LICENSES[dataset.licenseId];
  return { '@id': terms.url, '@type': 'dct:LicenseDocument', 'dct:title': texts(terms) };
}

function contactPoint(dataset: CatalogDatasetView): JsonLdNode {
  const node: JsonLdNode = { '@type': 'vcard:Kind', 'vcard:fn': dataset.contactName.trim() || dataset.agency.name };
  if (dataset.contactEmail.trim()) node['vcard:hasEmail'] = ref(`mailto:${dataset.contactEmail.trim()}`);
  return node;
}

function temporal(dataset: CatalogDatasetView): JsonLdNode | undefined {
  const start = isoDate(dataset.temporalStart);
  const end = isoDate(dataset.temporalEnd);
  if (!start && !end) return undefined;
  const period: JsonLdNode = { '@type': 'dct:PeriodOfTime' };
  if (start) period['dcat:startDate'] = { '@value': start, '@type': 'xsd:date' };
  if (end) period['dcat:endDate'] = { '@value': end, '@type': 'xsd:date' };
  return period;
}

function downloadDistribution(dataset: CatalogDatasetView, links: CatalogLinks, format: DownloadFormat): JsonLdNode {
  const version = dataset.currentVersion!;
  const url = links.download(dataset, format);
  const label = FORMAT_LABELS[format];
  const node: JsonLdNode = {
    '@id': dcatIris(links).distribution(dataset, format),
    '@type': 'dcat:Distribution',
    'dct:title': texts({ zh: `${dataset.titleZh}（${label}）`, en: `${dataset.titleEn} (${label})` }),
    'dcat:accessURL': ref(url),
    'dcat:downloadURL': ref(url),
    'dcat:mediaType': ref(`https://www.iana.org/assignments/media-types/${MEDIA_TYPES[format]}`),
    'dct:format': ref(euFileTypeUri(format.toUpperCase())),
    'dct:license': license(dataset),
    'dct:issued': dateLiteral(version.createdAt),
    'dct:modified': dateLiteral(version.createdAt),
  };
  if (format === 'parquet') node['dcat:byteSize'] = { '@value': String(version.parquetBytes), '@type': 'xsd:nonNegativeInteger' };
  return node;
}

/** Conditional data: how to request access, never a download. */
function accessDistribution(dataset: CatalogDatasetView, links: CatalogLinks): JsonLdNode {
  return {
    '@id': dcatIris(links).distribution(dataset, 'access'),
    '@type': 'dcat:Distribution',
    'dct:title': texts({ zh: `${dataset.titleZh}（有条件开放，申请后访问）`, en: `${dataset.titleEn} (conditional access on request)` }),
    'dcat:accessURL': ref(links.datasetPage(dataset)),
    'dcat:accessService': ref(dcatIris(links).dataService),
    'dct:license': license(dataset),
    'dct:accessRights': ref(euAccessRightUri(EU_ACCESS_RIGHTS.conditional)),
  };
}

function distributions(dataset: CatalogDatasetView, links: CatalogLinks): JsonLdNode[] {
  switch (dataset.classification) {
    case 'open':
      return dataset.currentVersion ? DOWNLOAD_FORMATS.map((format) => downloadDistribution(dataset, links, format)) : [];
    case 'conditional':
      return [accessDistribution(dataset, links)];
    case 'restricted':
      return [];
  }
}

/** One dataset as a `dcat:Dataset` node. */
export function toDcatDataset(dataset: CatalogDatasetView, links: CatalogLinks): JsonLdNode {
  const iris = dcatIris(links);
  const node: JsonLdNode = {
    '@id': iris.dataset(dataset),
    '@type': 'dcat:Dataset',
    'dct:identifier': dataset.id,
    'dct:title': texts({ zh: dataset.titleZh, en: dataset.titleEn }),
    'dct:description': texts({ zh: dataset.descriptionZh, en: dataset.descriptionEn }),
    'dcat:keyword': dataset.keywords.filter((keyword) => keyword.trim()).map(literal),
    'dcat:theme': themes(dataset, links),
    'dct:publisher': {
      '@id': iris.agency(dataset.agency.id),
      '@type': 'foaf:Agent',
      'foaf:name': literal(dataset.agency.name),
      'dct:type': ref(LOCAL_AUTHORITY),
    },
    'dcat:contactPoint': contactPoint(dataset),
    'dct:accrualPeriodicity': ref(euFrequencyUri(EU_FREQUENCIES[dataset.updateFrequency])),
    'dct:license': license(dataset),
    'dct:accessRights': ref(euAccessRightUri(EU_ACCESS_RIGHTS[dataset.classification])),
    'dct:modified': dateLiteral(dataset.updatedAt),
    'dcat:landingPage': ref(links.datasetPage(dataset)),
  };
  if (dataset.publishedAt) node['dct:issued'] = dateLiteral(dataset.publishedAt);
  if (dataset.spatialCoverage.trim()) {
    node['dct:spatial'] = { '@type': 'dct:Location', 'skos:prefLabel': literal(dataset.spatialCoverage.trim()) };
  }
  const period = temporal(dataset);
  if (period) node['dct:temporal'] = period;
  if (dataset.currentVersion) node['dcat:version'] = String(dataset.currentVersion.version);
  const items = distributions(dataset, links);
  if (items.length > 0) node['dcat:distribution'] = items;
  return node;
}

/** Restricted rows are never delivered, so the API serves open and conditional datasets only. */
function servedByApi(dataset: CatalogDatasetView): boolean {
  return dataset.classification !== 'restricted';
}

/** The whole catalog: datasets plus the data service answering row queries. */
export function toDcatCatalog(datasets: CatalogDatasetView[], links: CatalogLinks, meta: DcatCatalogMeta): JsonLdNode {
  const iris = dcatIris(links);
  const publisher = { '@id': iris.catalogPublisher, '@type': 'foaf:Agent', 'foaf:name': literal(meta.publisherName), 'dct:type': ref(LOCAL_AUTHORITY) };
  const service: JsonLdNode = {
    '@id': iris.dataService,
    '@type': 'dcat:DataService',
    'dct:title': texts({ zh: `${meta.title.zh} 数据接口`, en: `${meta.title.en} API` }),
    'dcat:endpointURL': ref(links.apiEndpoint),
    'dcat:servesDataset': datasets.filter(servedByApi).map((dataset) => ref(iris.dataset(dataset))),
    'dct:publisher': ref(iris.catalogPublisher),
  };
  const catalog: JsonLdNode = {
    '@context': DCAT_CONTEXT,
    '@id': iris.catalog,
    '@type': 'dcat:Catalog',
    'dct:title': texts(meta.title),
    'dct:description': texts(meta.description),
    'dct:publisher': publisher,
    'foaf:homepage': ref(trimBaseUrl(links.baseUrl)),
    'dct:language': [ref(euLanguageUri('ZHO')), ref(euLanguageUri('ENG'))],
    'dcat:themeTaxonomy': ref('http://publications.europa.eu/resource/authority/data-theme'),
  };
  if (meta.issued) catalog['dct:issued'] = dateLiteral(meta.issued);
  const modified = datasets.map((dataset) => dataset.updatedAt).sort().at(-1);
  if (modified) catalog['dct:modified'] = dateLiteral(modified);
  catalog['dcat:dataset'] = datasets.map((dataset) => toDcatDataset(dataset, links));
  catalog['dcat:service'] = [service];
  return catalog;
}
