import fc from 'fast-check';
import { buildSearchDocument, buildSearchQuery } from './search-document.js';

const traffic = {
  titles: ['城市道路交通流量', 'Urban road traffic flow'],
  keywords: ['交通', 'traffic'],
  descriptions: ['按路段统计的每小时车流量。'],
  columnNames: ['道路名称', 'vehicle_count'],
  agencyName: '市交通运输局',
};

describe('buildSearchDocument', () => {
  it('weights title terms A and keeps each term once, at its most important field', () => {
    const document = buildSearchDocument(traffic);
    expect(document).toContain("'traffic':");
    expect(document.match(/'traffic':\d+([A-D])/)?.[1]).toBe('A');
    expect(document.match(/'交通':\d+([A-D])/)?.[1]).toBe('A');
    expect(document.match(/'vehicle_count':\d+([A-D])/)?.[1]).toBe('C');
    expect(document.split(' ').filter((entry) => entry.startsWith("'traffic':"))).toHaveLength(1);
  });

  it('never produces a quote or backslash inside a lexeme, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.string(), (texts, agency) => {
        const document = buildSearchDocument({ titles: texts, keywords: texts, descriptions: [], columnNames: [], agencyName: agency });
        for (const entry of document.split(' ').filter(Boolean)) expect(entry).toMatch(/^'[^'\\\s]+':\d+[A-D]$/u);
      }),
    );
  });
});

describe('buildSearchQuery', () => {
  it('requires every word of a Chinese query as ICU segments it', () => {
    expect(buildSearchQuery('交通')).toBe("('交通')");
    expect(buildSearchQuery('交通流量')).toBe("('交通') & ('流量')");
  });

  it('requires each Latin word as a whole, lower-cased term', () => {
    expect(buildSearchQuery('Air QUALITY')).toBe("('air') & ('quality')");
    expect(buildSearchQuery('pm2_5')).toBe("('pm2_5')");
  });

  it('is null for a query without terms and strips tsquery syntax', () => {
    expect(buildSearchQuery('  !&|  ')).toBeNull();
    expect(buildSearchQuery("a' | b")).toBe("('a') & ('b')");
  });
});
