import { airQuality } from './datasets/air-quality.js';
import { busPassengers } from './datasets/bus-passengers.js';
import { channelSurvey } from './datasets/channel-survey.js';
import { customsTrade } from './datasets/customs-trade.js';
import { dailyWeather } from './datasets/daily-weather.js';
import { districtEnergy } from './datasets/district-energy.js';
import { hospitalVisits } from './datasets/hospital-visits.js';
import { housingTransactions } from './datasets/housing-transactions.js';
import { roadTraffic, trafficRowCount } from './datasets/road-traffic.js';
import { scenicVisitors } from './datasets/scenic-visitors.js';
import { schoolEnrolment } from './datasets/school-enrolment.js';
import type { DemoColumn, DemoDataset, DemoScale, DemoSource } from './types.js';

const SOURCES: readonly DemoSource[] = [
  channelSurvey,
  roadTraffic,
  airQuality,
  districtEnergy,
  housingTransactions,
  scenicVisitors,
  hospitalVisits,
  dailyWeather,
  busPassengers,
  schoolEnrolment,
  customsTrade,
];

/** Every demo dataset's catalog metadata. */
export const DEMO_DATASETS: readonly DemoDataset[] = SOURCES.map((source) => source.dataset);

/** Rows of the traffic dataset at each scale; the other datasets are the same at both scales. */
export const DEMO_SCALES: Readonly<Record<DemoScale, { trafficRows: number }>> = {
  full: { trafficRows: trafficRowCount('full') },
  small: { trafficRows: trafficRowCount('small') },
};
export const DEMO_SCALE = DEMO_SCALES.full;

export function demoSource(slug: string): DemoSource {
  const source = SOURCES.find((candidate) => candidate.dataset.slug === slug);
  if (!source) throw new Error(`No demo dataset with slug ${slug}`);
  return source;
}

/** The columns of one version's file, in file order. */
export function demoColumns(dataset: DemoDataset, version = 1): DemoColumn[] {
  return dataset.columns.filter((column) => (column.addedInVersion ?? 1) <= version);
}
