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
