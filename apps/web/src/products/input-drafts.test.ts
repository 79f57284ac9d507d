import type { InputCandidate } from '../api/schema-types';
import { productInput } from '../test/product-fixtures';
import { draftsOf, emptyDraft, inputProblems, inputsChanged, sourceKey, toInputSpecs, weightShares, withSource, type InputDraft } from './input-drafts';

const candidate = (overrides: Partial<InputCandidate>): InputCandidate => ({
  kind: 'dataset',
  id: 'd0000000-0000-4000-8000-000000000001',
  slug: 'urban-channel-construction-survey-2011-2015',
  titleZh: '调查',
  titleEn: 'Survey',
  organizationName: 'Statistics Bureau',
  classification: 'open',
  access: 'free',
  rowCount: 5,
  ...overrides,
});

const survey = candidate({});
const weather = candidate({ id: 'd0000000-0000-4000-8000-000000000002', slug: 'daily-weather-observations' });
const energy = candidate({ id: 'd0000000-0000-4000-8000-000000000003', slug: 'district-energy-consumption-monthly', classification: 'conditional', access: 'denied' });
const draft = (overrides: Partial<InputDraft>): InputDraft => ({ key: overrides.key ?? 'k', source: '', name: '', weight: 1, nameSuggested: true, ...overrides });

describe('withSource', () => {
  it('names an input after its slug, unique among the others, until the owner types a name', () => {
    const drafts = [draft({ key: 'a', source: sourceKey('dataset', weather.id), name: 'daily_weather', nameSuggested: true }), draft({ key: 'b' })];
    const picked = withSource(drafts, 'b', candidate({ slug: 'daily-weather-history' }));
    expect(picked[1]).toMatchObject({ source: sourceKey('dataset', survey.id), name: 'daily_weather_2', nameSuggested: true });
    const typed = withSource([draft({ key: 'c', name: 'survey', nameSuggested: false })], 'c', weather);
    expect(typed[0]!.name).toBe('survey');
  });
});

describe('inputProblems', () => {
  it('flags missing, repeated, denied and malformed inputs row by row', () => {
    const drafts = [
      draft({ key: 'a', source: sourceKey('dataset', survey.id), name: 'survey' }),
      draft({ key: 'b', source: sourceKey('dataset', survey.id), name: 'survey' }),
      draft({ key: 'c', source: sourceKey('dataset', energy.id), name: 'Energy-2' }),
      draft({ key: 'd', weight: 0 }),
    ];
    const problems = inputProblems(drafts, [survey, weather, energy]);
    expect(problems.list).toBeNull();
    expect(problems.rows).toEqual({
      a: ['source_repeated', 'name_repeated'],
      b: ['source_repeated', 'name_repeated'],
      c: ['source_denied', 'name_invalid'],
      d: ['source_required', 'name_required', 'weight_invalid'],
    });
  });

  it('refuses names the SQL could not read unquoted (DuckDB reserved words) and a weight of 0', () => {
    const drafts = [
      draft({ key: 'a', source: sourceKey('dataset', survey.id), name: 'select' }),
      draft({ key: 'b', source: sourceKey('dataset', weather.id), name: 'join', weight: 0 }),
      draft({ key: 'c', source: sourceKey('dataset', energy.id), name: 'orders', weight: 1.5 }),
    ];
    const problems = inputProblems(drafts, [survey, weather, candidate({ id: energy.id })]);
    expect(problems.rows).toEqual({ a: ['name_reserved'], b: ['name_reserved', 'weight_invalid'], c: ['weight_invalid'] });
  });

  it('never suggests a reserved word as a name', () => {
    expect(withSource([draft({ key: 'a' })], 'a', candidate({ slug: 'order' }))[0]!.name).toBe('order_data');
    expect(withSource([draft({ key: 'a' })], 'a', candidate({ slug: 'order-book' }))[0]!.name).toBe('order_book');
  });

  it('needs at least one input and at most ten', () => {
    expect(inputProblems([], []).list).toBe('none');
    expect(inputProblems(Array.from({ length: 11 }, () => emptyDraft()), []).list).toBe('too_many');
  });
});

describe('request bodies and changes', () => {
  it('sends datasets and products by id with their weights', () => {
    expect(
      toInputSpecs([
        draft({ source: 'dataset:d1', name: 'traffic', weight: 3 }),
        draft({ source: 'product:p1', name: 'rain', weight: 1 }),
      ]),
    ).toEqual([
      { name: 'traffic', datasetId: 'd1', weight: 3 },
      { name: 'rain', productId: 'p1', weight: 1 },
    ]);
  });

  it('notices a change of source, name, weight or order against the saved inputs', () => {
    const saved = [productInput(), productInput({ name: 'weather', position: 1, id: weather.id, slug: weather.slug })];
    const drafts = draftsOf(saved);
    expect(inputsChanged(drafts, saved)).toBe(false);
    expect(inputsChanged([drafts[1]!, drafts[0]!], saved)).toBe(true);
    expect(inputsChanged([{ ...drafts[0]!, weight: 2 }, drafts[1]!], saved)).toBe(true);
    expect(inputsChanged(drafts.slice(0, 1), saved)).toBe(true);
  });

  it('shares the lineage by weight', () => {
    expect(weightShares([3, 1])).toEqual([0.75, 0.25]);
    expect(weightShares([1, 0])).toEqual([1, 0]);
    expect(weightShares([])).toEqual([]);
  });
});
