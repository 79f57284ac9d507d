import { CITY_ZH } from '../city.js';
import { columnsOf, field, selectFields } from '../fields.js';
import { sqlValues } from '../sql.js';
import type { DemoSource } from '../types.js';

const FIELDS = [
  field('年份', ['调查年份', 'Survey year'], 'c0'),
  field('城市建设中渠道建设占比(%)', ['渠道建设在城市建设中所占比例（%）', 'Proportion of channel construction in urban construction, %'], 'c1'),
  field('渠道综合应用率(%)', ['渠道综合应用率（%）', 'Channel comprehensive application rate, %'], 'c2'),
  field('渠道建设形式创新率(%)', ['渠道建设形式创新率（%）', 'Channel construction form innovation rate, %'], 'c3'),
  field('城市整体建设优化率(%)', ['城市整体建设优化率（%）', 'City overall construction optimization rate, %'], 'c4'),
];

/** The survey table as published, one row per year. */
export const CHANNEL_SURVEY_ROWS: readonly (readonly number[])[] = [
  [2011, 39, 33, 20, 36],
  [2012, 40, 37, 23, 45],
  [2013, 44, 45, 23, 55],
  [2014, 46, 47, 26, 65],
  [2015, 48, 50, 29, 70],
];

export const channelSurvey: DemoSource = {
  dataset: {
    slug: 'urban-channel-construction-survey-2011-2015',
    agencySlug: 'statistics-bureau',
    titleZh: '城市渠道建设调查表（2011—2015年）',
    titleEn: 'Urban channel construction survey 2011–2015',
    descriptionZh:
      '2011—2015 年城市渠道建设调查结果：渠道建设在城市建设中的占比、渠道综合应用率、渠道建设形式创新率和城市整体建设优化率（%）。本表是城市数据开放平台建设研究所依据的基础调查数据。',
    descriptionEn:
      'Results of the 2011–2015 urban channel construction survey: the share of channel construction in urban construction, the channel comprehensive application rate, the channel construction form innovation rate and the city overall construction optimization rate (%). The founding survey of the city data platform.',
    theme: 'statistics',
    keywords: ['城市建设', '渠道建设', '调查', '统计', '城市规划', 'survey', 'urban construction', 'channel construction', 'statistics'],
    contactName: '市统计局 综合统计处',
    contactEmail: 'opendata@stats.demo',
    updateFrequency: 'irregular',
    spatialCoverage: CITY_ZH,
    temporalStart: '2011-01-01',
    temporalEnd: '2015-12-31',
    licenseId: 'cc-by-4.0',
    classification: 'open',
    minGroupSize: 5,
    columns: columnsOf(FIELDS),
    file: { filename: 'urban-channel-construction-survey-2011-2015.csv', format: 'csv', encoding: 'utf-8-bom', approxRows: 5 },
  },
  query() {
    return `SELECT ${selectFields(FIELDS, 1)} FROM ${sqlValues('survey', ['c0', 'c1', 'c2', 'c3', 'c4'], CHANNEL_SURVEY_ROWS)} ORDER BY c0`;
  },
};
