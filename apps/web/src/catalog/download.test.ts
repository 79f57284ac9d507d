import { downloadUrl, filenameFromDisposition } from './download';

describe('filenameFromDisposition', () => {
  it('reads plain, quoted and RFC 5987 file names', () => {
    expect(filenameFromDisposition('attachment; filename="road-traffic-v2.csv"')).toBe('road-traffic-v2.csv');
    expect(filenameFromDisposition('attachment; filename=road.parquet')).toBe('road.parquet');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E4%BA%A4%E9%80%9A.csv")).toBe('交通.csv');
  });

  it('gives null without a file name', () => {
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition('inline')).toBeNull();
  });
});

describe('downloadUrl', () => {
  it('points at the download endpoint with the format', () => {
    expect(downloadUrl('road-traffic', 'parquet')).toBe('/api/v1/catalog/datasets/road-traffic/download?format=parquet');
  });
});
