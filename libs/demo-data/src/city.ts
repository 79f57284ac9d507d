/** The city's ten districts, with the figures the generators scale by. */
export interface District {
  name: string;
  /** Resident population, ten thousands (2020 census, rounded). */
  populationWan: number;
  /** Industrial districts use more power; coastal ones breathe cleaner air. */
  profile: 'core' | 'industrial' | 'coastal';
  /** Typical second-hand home price, yuan per m² (2023). */
  homePricePerSqm: number;
}

export const DISTRICTS: readonly District[] = [
  { name: '福田区', populationWan: 155, profile: 'core', homePricePerSqm: 92_000 },
  { name: '罗湖区', populationWan: 114, profile: 'core', homePricePerSqm: 56_000 },
  { name: '南山区', populationWan: 180, profile: 'core', homePricePerSqm: 105_000 },
  { name: '盐田区', populationWan: 21, profile: 'coastal', homePricePerSqm: 48_000 },
  { name: '宝安区', populationWan: 447, profile: 'industrial', homePricePerSqm: 62_000 },
  { name: '龙岗区', populationWan: 398, profile: 'industrial', homePricePerSqm: 38_000 },
  { name: '龙华区', populationWan: 253, profile: 'industrial', homePricePerSqm: 55_000 },
  { name: '坪山区', populationWan: 55, profile: 'industrial', homePricePerSqm: 30_000 },
  { name: '光明区', populationWan: 110, profile: 'industrial', homePricePerSqm: 42_000 },
  { name: '大鹏新区', populationWan: 16, profile: 'coastal', homePricePerSqm: 29_000 },
];

export const DISTRICT_NAMES = DISTRICTS.map((district) => district.name);

export const CITY_ZH = '深圳市';
