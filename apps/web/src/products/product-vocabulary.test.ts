import * as domain from '../../../../libs/domain/src/products/product-fields';
import { DESCRIPTION_MAX_LENGTH, INPUT_NAME, INPUT_WEIGHT, isSqlReservedWord, SQL_MAX_LENGTH, SQL_RESERVED_WORDS, textLength, TITLE_MAX_LENGTH } from './product-vocabulary';

describe("the web app's copy of the API's field rules", () => {
  it('is the same as libs/domain (which the API validates with)', () => {
    expect([...SQL_RESERVED_WORDS].sort()).toEqual([...domain.SQL_RESERVED_WORDS].sort());
    expect(INPUT_NAME.source).toBe(domain.INPUT_NAME_PATTERN.source);
    expect(INPUT_WEIGHT).toEqual(domain.INPUT_WEIGHT);
    expect([SQL_MAX_LENGTH, TITLE_MAX_LENGTH, DESCRIPTION_MAX_LENGTH]).toEqual([domain.PRODUCT_SQL_MAX_LENGTH, domain.PRODUCT_TITLE_MAX_LENGTH, domain.PRODUCT_DESCRIPTION_MAX_LENGTH]);
  });

  it('knows the reserved words in any case', () => {
    expect(isSqlReservedWord('select')).toBe(true);
    expect(isSqlReservedWord('Order')).toBe(true);
    expect(isSqlReservedWord('orders')).toBe(false);
  });

  it('counts characters as the API does: an emoji is one', () => {
    expect(textLength('abc')).toBe(3);
    expect(textLength('年份')).toBe(2);
    expect(textLength('🚗🚗')).toBe(2);
    expect(textLength('❤️')).toBe(1);
  });
});
