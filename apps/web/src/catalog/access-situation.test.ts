import { accessRequest, datasetDetail, grant, housingTransactions } from '../test/catalog-fixtures';
import { accessSituation } from './access-situation';

const anonymous = { signedIn: false, permissions: [] };
const buyerAdmin = { signedIn: true, permissions: ['access_requests:read', 'access_requests:file'] };
const buyerMember = { signedIn: true, permissions: ['access_requests:read'] };
const conditional = datasetDetail({ id: housingTransactions.id, classification: 'conditional', rowAccess: 'denied', previewAvailable: false });

describe('accessSituation', () => {
  it('lets anyone download open data', () => {
    expect(accessSituation(datasetDetail(), anonymous)).toEqual({ kind: 'download', reason: 'open', grant: null });
  });

  it('never offers rows of restricted data, not even to its agency', () => {
    expect(accessSituation(datasetDetail({ classification: 'restricted', rowAccess: 'denied' }), buyerAdmin).kind).toBe('restricted');
    expect(accessSituation(datasetDetail({ classification: 'restricted', rowAccess: 'owner' }), buyerAdmin).kind).toBe('restricted');
  });

  it('says when there is no data yet', () => {
    expect(accessSituation(datasetDetail({ currentVersion: null }), anonymous).kind).toBe('noData');
  });

  it('invites anonymous visitors of conditional data to sign in', () => {
    expect(accessSituation(conditional, anonymous).kind).toBe('signIn');
  });

  it('offers a request to those who may file one, and the pending one once filed', () => {
    expect(accessSituation(conditional, buyerAdmin).kind).toBe('requestAccess');
    const pending = accessRequest();
    expect(accessSituation(conditional, buyerAdmin, [accessRequest({ status: 'rejected' }), pending])).toEqual({ kind: 'pending', request: pending });
    expect(accessSituation(conditional, buyerMember).kind).toBe('askAdministrator');
  });

  it('downloads with a grant in force, naming the one that lasts longest', () => {
    const later = grant({ id: 'a1000000-0000-4000-8000-000000000002', expiresAt: '2028-01-01T00:00:00.000Z' });
    const situation = accessSituation({ ...conditional, rowAccess: 'granted' }, buyerAdmin, [], [grant(), later, grant({ state: 'revoked', expiresAt: '2029-01-01T00:00:00.000Z' })]);
    expect(situation).toEqual({ kind: 'download', reason: 'granted', grant: later });
    expect(accessSituation({ ...conditional, rowAccess: 'owner' }, buyerAdmin)).toEqual({ kind: 'download', reason: 'owner', grant: null });
  });
});
