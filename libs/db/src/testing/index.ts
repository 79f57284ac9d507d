export { createTestDatabase, type TestDatabase } from './test-database.js';
export { createCommerceFixture, type CommerceFixture } from './commerce-fixture.js';
