import { ApiError } from '../api/api-error';
import { i18n } from '../i18n/i18n';
import { describeDeriveError, describeProductError, sqlLocation } from './derive-error';

const t = i18n.t.bind(i18n);

describe('describeDeriveError', () => {
  it("words DuckDB's refusal and keeps its message and position", () => {
    const text = describeDeriveError(
      { code: 'derive.unknown_column', message: 'Referenced column "patient_name" not found', details: { line: 2, column: 8, input: 'visits', name: 'patient_name' } },
      t,
    );
    expect(text).toEqual({
      code: 'derive.unknown_column',
      title: 'The SQL reads a column the input does not have, or that is hidden (personal).',
      message: 'Referenced column "patient_name" not found',
      location: { line: 2, column: 8 },
      facts: ['input visits', '“patient_name”'],
    });
  });

  it('names the inputs that cannot be used and why', () => {
    const text = describeDeriveError(
      { code: 'product.input_unavailable', message: 'An input cannot be used now.', details: { inputs: [{ name: 'energy', reason: 'denied' }, { name: 'x', reason: 'bogus' }] } },
      t,
    );
    expect(text.facts).toEqual(['input energy: no grant in force covers derivation']);
    expect(text.location).toBeNull();
  });

  it('names the inputs the SQL does not read', () => {
    const text = describeDeriveError({ code: 'derive.unused_input', message: 'The query does not read input "weather"', details: { inputs: ['weather', 'zones'] } }, t);
    expect(text.title).toBe('The SQL does not read every input: use each input or remove it (every input is credited in the lineage).');
    expect(text.facts).toEqual(['not read: weather, zones']);
    expect(describeDeriveError({ code: 'derive.no_input_read', message: 'x', details: { inputs: ['visits'] } }, t).title).toBe(
      'The SQL reads none of the inputs: a product is computed from its inputs.',
    );
  });

  it('names the inputs whose privacy settings were tightened, and how', () => {
    const text = describeDeriveError(
      {
        code: 'product.policy_changed',
        message: 'stricter',
        details: { inputs: [{ name: 'visits', changes: [{ kind: 'small_cells_fail' }, { kind: 'k_raised', from: 10, to: 12 }, { kind: 'bogus' }] }, { name: 'x', changes: [] }] },
      },
      t,
    );
    expect(text.title).toBe('An agency tightened the privacy settings of an input since this version was checked: run the derivation again.');
    expect(text.facts).toEqual(['input visits: small cells now fail the run, minimum group size raised']);
  });

  it("falls back to the server's words for an unknown code", () => {
    expect(describeDeriveError({ code: 'derive.something_new', message: 'New problem' }, t)).toMatchObject({ title: 'The derivation was refused.', message: 'New problem' });
  });
});

describe('sqlLocation', () => {
  it('reads 1-based line and column, the column defaulting to the first', () => {
    expect(sqlLocation({ line: 3 })).toEqual({ line: 3, column: 1 });
    expect(sqlLocation({ line: 0, column: 2 })).toBeNull();
    expect(sqlLocation('line 3')).toBeNull();
  });
});

describe('describeProductError', () => {
  it("words the product's codes and leaves others to the general wording", () => {
    expect(describeProductError(new ApiError(409, 'product.not_editable', 'x'), t)).toBe('The SQL and inputs can change only while the product is a draft.');
    expect(describeProductError(new ApiError(0, 'network_error', 'offline'), t)).toBe(t('errors.network'));
  });
});
