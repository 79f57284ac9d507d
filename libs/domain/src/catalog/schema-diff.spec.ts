import { diffSchemas, hasSchemaChanges } from './schema-diff.js';

describe('diffSchemas', () => {
  it('reports added, removed and retyped columns, ignoring order', () => {
    const changes = diffSchemas(
      [
        { name: '站点', type: 'VARCHAR' },
        { name: 'AQI', type: 'BIGINT' },
        { name: 'PM10', type: 'BIGINT' },
      ],
      [
        { name: 'AQI', type: 'DOUBLE' },
        { name: '站点', type: 'VARCHAR' },
        { name: 'SO2', type: 'BIGINT' },
      ],
    );
    expect(changes).toEqual({
      added: [{ name: 'SO2', type: 'BIGINT' }],
      removed: [{ name: 'PM10', type: 'BIGINT' }],
      retyped: [{ name: 'AQI', from: 'BIGINT', to: 'DOUBLE' }],
    });
    expect(hasSchemaChanges(changes)).toBe(true);
  });

  it('finds no change between equal schemas', () => {
    const schema = [{ name: 'year', type: 'BIGINT' }];
    expect(hasSchemaChanges(diffSchemas(schema, [...schema]))).toBe(false);
  });
});
