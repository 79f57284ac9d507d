import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { login } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const SURVEY = 'urban-channel-construction-survey-2011-2015';
const HOUSING = 'second-hand-housing-transactions';
const HOSPITAL = 'hospital-outpatient-visits';

/** A remote CKAN portal's package_search answer, as such portals publish it. */
function remotePortal(title: string) {
  return {
    help: 'https://portal.example/api/3/action/help_show?name=package_search',
    success: true,
    result: {
      count: 2,
      results: [
        {
          id: 'remote-bus-stops',
          name: 'bus-stops',
          title,
          notes: '全市公交站点位置与线路。',
          license_id: 'cc-by',
          tags: [{ name: '公交' }, { name: 'transport' }],
          groups: [{ name: 'transport', title: 'Transport' }],
          maintainer: '交通数据组',
          maintainer_email: 'data@portal.example',
          metadata_modified: '2026-10-01T08:00:00',
          resources: [{ url: 'https://portal.example/files/bus-stops.csv', format: 'CSV', name: 'stops' }],
        },
        { id: 'remote-budget', name: 'budget-2025', title: 'City budget 2025', notes: 'Annual budget.', license_id: 'cc-zero', tags: [], resources: [] },
      ],
    },
  };
}

describe('interoperability: DCAT-AP, CKAN API and harvesting', () => {
  const ctx = usePlatform({ HARVEST_ALLOW_PRIVATE_NETWORKS: 'true' });
  let portal: Server;
  let portalTitle = '公交站点';
  let portalUrl: string;

  beforeAll(async () => {
    portal = createServer((request, response) => {
      if (!request.url?.startsWith('/api/3/action/package_search')) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(remotePortal(portalTitle)));
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => portal.close(resolve)));

  it('publishes the catalog as DCAT-AP JSON-LD with access rights and downloads for open data only', async () => {
    const result = await ctx.http.get('/catalog.jsonld');
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toContain('application/ld+json');
    const text = JSON.stringify(result.body);
    const datasets: Array<Record<string, any>> = result.body['dcat:dataset'];
    expect(datasets.length).toBeGreaterThanOrEqual(11);
    const byId = (slug: string) => datasets.find((node) => node['@id'].endsWith(`/catalog/${slug}#dataset`));
    const survey = byId(SURVEY)!;
    expect(JSON.stringify(survey['dct:accessRights'])).toContain('access-right/PUBLIC');
    expect(JSON.stringify(survey['dcat:distribution'])).toContain(`/api/v1/catalog/datasets/${SURVEY}/download?format=csv`);
    const housing = byId(HOUSING)!;
    expect(JSON.stringify(housing['dct:accessRights'])).toContain('access-right/RESTRICTED');
    expect(JSON.stringify(housing)).not.toContain('downloadURL');
    expect(JSON.stringify(byId(HOSPITAL)!['dct:accessRights'])).toContain('access-right/NON_PUBLIC');
    expect(text).toContain('dcat:DataService');
  });

  it('reads several values of one field in CKAN fq as the REST search does', async () => {
    const rest = await ctx.http.get('/api/v1/catalog/datasets?theme=environment&theme=meteorology&pageSize=100');
    expect(rest.body.total).toBeGreaterThan(1);
    for (const fq of ['groups:(environment OR meteorology)', 'groups:environment OR groups:meteorology', '+(groups:environment OR groups:meteorology)']) {
      const ckan = await ctx.http.get(`/api/3/action/package_search?rows=100&fq=${encodeURIComponent(fq)}`);
      expect({ fq, status: ckan.status, count: ckan.body.result?.count }).toEqual({ fq, status: 200, count: rest.body.total });
    }
    // OR across fields is not what Solr would do with CKAN's q.op=AND: refused, not guessed.
    const mixed = await ctx.http.get(`/api/3/action/package_search?fq=${encodeURIComponent('groups:environment OR organization:transport-bureau')}`);
    expect(mixed.status).toBe(409);
    expect(mixed.body.success).toBe(false);
  });

  it('answers CKAN clients in CKAN shapes', async () => {
    const search = await ctx.http.get(`/api/3/action/package_search?q=${encodeURIComponent('交通')}&rows=5&facet.field=${encodeURIComponent('["organization","res_format"]')}`);
    expect(search.status).toBe(200);
    expect(search.body.success).toBe(true);
    expect(search.body.help).toMatch(/\/api\/docs#\/ckan\/Ckan_packageSearch$/);
    expect(search.body.result.count).toBeGreaterThan(0);
    expect(search.body.result.results[0]).toHaveProperty('resources');
    expect(Object.keys(search.body.result.search_facets)).toEqual(expect.arrayContaining(['organization', 'res_format']));
    const filtered = await ctx.http.get('/api/3/action/package_search?fq=organization:transport-bureau&rows=100');
    for (const pkg of filtered.body.result.results) expect(pkg.organization.name).toBe('transport-bureau');

    const show = await ctx.http.get(`/api/3/action/package_show?id=${SURVEY}`);
    expect(show.body.result).toMatchObject({ name: SURVEY, num_resources: 2 });
    const conditional = await ctx.http.get(`/api/3/action/package_show?id=${HOUSING}`);
    expect(conditional.body.result.resources).toEqual([]);
    const missing = await ctx.http.get('/api/3/action/package_show?id=nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, error: { __type: 'Not Found Error' } });
    const invalid = await ctx.http.get('/api/3/action/package_search?rows=abc');
    expect(invalid.status).toBe(409);
    expect(invalid.body.error.__type).toBe('Validation Error');

    const organizations = await ctx.http.get('/api/3/action/organization_list');
    expect(organizations.body.result).toEqual(expect.arrayContaining(['transport-bureau', 'health-commission']));
    const tags = await ctx.http.get(`/api/3/action/tag_list?query=${encodeURIComponent('交')}`);
    expect(tags.body.result.length).toBeGreaterThan(0);
    for (const tag of tags.body.result) expect(tag.startsWith('交')).toBe(true);
  });

  it('harvests another CKAN portal into drafts, and updates rather than duplicates on re-harvest', async () => {
    const steward = await login(ctx.http, 'steward@transport.demo');
    const first = await ctx.http.post('/api/v1/agency/harvests', { url: portalUrl }, { token: steward.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const [bus] = first.body.datasets;
    const draft = await ctx.http.get(`/api/v1/catalog/datasets/${bus.id}`, { token: steward.token });
    expect(draft.body).toMatchObject({ status: 'draft', titleZh: '公交站点', theme: 'transport', licenseId: 'cc-by-4.0', contactEmail: 'data@portal.example' });

    const again = await ctx.http.post('/api/v1/agency/harvests', { url: `${portalUrl}/api/3/action/package_search` }, { token: steward.token });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    portalTitle = '公交站点（更新）';
    const changed = await ctx.http.post('/api/v1/agency/harvests', { url: portalUrl }, { token: steward.token });
    expect(changed.body).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const mine = await ctx.http.get('/api/v1/agency/datasets', { token: steward.token });
    expect(mine.body.items.filter((item: { titleZh: string }) => item.titleZh.startsWith('公交站点'))).toHaveLength(1);

    // The same source harvested from a downloaded response file also finds the drafts.
    const fromFile = await ctx.http.post('/api/v1/agency/harvests', { response: remotePortal(portalTitle), sourceUrl: portalUrl }, { token: steward.token });
    expect(fromFile.body).toMatchObject({ created: 0, unchanged: 2 });
  });

  it('refuses malformed harvest input clearly', async () => {
    const steward = await login(ctx.http, 'steward@transport.demo');
    const neither = await ctx.http.post('/api/v1/agency/harvests', {}, { token: steward.token });
    expect(neither.status).toBe(400);
    const notCkan = await ctx.http.post('/api/v1/agency/harvests', { response: { hello: 'world' }, sourceUrl: 'https://x.example' }, { token: steward.token });
    expect(notCkan.status).toBe(400);
    expect(notCkan.body.error.message).toContain('package_search');
    const unreachable = await ctx.http.post('/api/v1/agency/harvests', { url: 'http://127.0.0.1:9/api/3/action/package_search' }, { token: steward.token });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error.details[0].field).toBe('url');
  });
});

describe('harvesting guards the server side fetch', () => {
  const ctx = usePlatform();

  it('refuses private and loopback addresses by default', async () => {
    const steward = await login(ctx.http, 'steward@transport.demo');
    for (const url of ['http://127.0.0.1:80/', 'http://10.1.2.3/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data']) {
      const result = await ctx.http.post('/api/v1/agency/harvests', { url }, { token: steward.token });
      expect(result.status).toBe(400);
      expect(result.body.error.message).toContain('private or local');
    }
  });
});
