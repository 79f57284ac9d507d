import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import {
  allocateByLineage,
  defaultWeights,
  lineageGraph,
  MAX_INPUT_WEIGHT,
  MAX_LINEAGE_DEPTH,
  resolveLineage,
  validateWeights,
  type LineageInput,
  type LineageLookup,
} from './lineage.js';
import { addShares, formatShare, makeShare, multiplyShares, ZERO_SHARE, type Share } from './share.js';

function expectDomainError(run: () => unknown, code: string): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    return error as DomainError;
  }
  throw new Error(`expected ${code}`);
}

const dataset = (id: string, agencyId: string, weight = 1): LineageInput => ({ kind: 'dataset_version', id, datasetId: `ds-${id}`, agencyId, weight });
const product = (id: string, weight = 1): LineageInput => ({ kind: 'product_version', id, weight });
const lookupOf =
  (graph: Record<string, LineageInput[]>): LineageLookup =>
  (id) =>
    Object.hasOwn(graph, id) ? graph[id] : undefined;
const shares = (lineage: ReturnType<typeof resolveLineage>) => Object.fromEntries(lineage.leaves.map((leaf) => [leaf.id, formatShare(leaf.share)]));

describe('weights', () => {
  it('defaults to equal weights', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expectDomainError(() => defaultWeights(0), 'product.invalid_weights');
  });

  it('accepts integers from 1 to the maximum only', () => {
    validateWeights([1, MAX_INPUT_WEIGHT]);
    for (const weights of [[], [0], [-1], [1.5], [MAX_INPUT_WEIGHT + 1], [Number.NaN]]) {
      expectDomainError(() => validateWeights(weights), 'product.invalid_weights');
    }
    expect(expectDomainError(() => validateWeights([1, 0]), 'product.invalid_weights').details).toEqual({ index: 1, weight: 0 });
  });
});

describe('resolveLineage', () => {
  it('splits a product between its datasets by weight', () => {
    const lineage = resolveLineage('p', lookupOf({ p: [dataset('d1', 'a1', 1), dataset('d2', 'a2', 3)] }));
    expect(lineage).toEqual({
      rootId: 'p',
      depth: 1,
      leaves: [
        { id: 'd1', datasetId: 'ds-d1', agencyId: 'a1', share: { numerator: 1n, denominator: 4n } },
        { id: 'd2', datasetId: 'ds-d2', agencyId: 'a2', share: { numerator: 3n, denominator: 4n } },
      ],
      agencies: [
        { agencyId: 'a1', share: { numerator: 1n, denominator: 4n } },
        { agencyId: 'a2', share: { numerator: 3n, denominator: 4n } },
      ],
    });
  });

  it('walks derived-of-derived products and accumulates a dataset reached twice', () => {
    const lineage = resolveLineage(
      'root',
      lookupOf({
        root: [product('q'), product('r'), dataset('d3', 'a2')],
        q: [dataset('d1', 'a1'), dataset('d2', 'a1')],
        r: [dataset('d1', 'a1', 2), product('q', 1)],
      }),
    );
    // d1: 1/3·1/2 + 1/3·2/3 + 1/3·1/3·1/2 = 1/6 + 2/9 + 1/18 = 4/9; d2: 1/6 + 1/18 = 2/9; d3: 1/3
    expect(shares(lineage)).toEqual({ d1: '4/9', d2: '2/9', d3: '1/3' });
    expect(lineage.agencies.map(({ agencyId, share }) => [agencyId, formatShare(share)])).toEqual([
      ['a1', '2/3'],
      ['a2', '1/3'],
    ]);
    expect(lineage.depth).toBe(3);
  });

  it('resolves a shared sub-product once, so diamonds stay fast', () => {
    const graph: Record<string, LineageInput[]> = {};
    for (let level = 0; level < MAX_LINEAGE_DEPTH - 1; level++) {
      graph[`l${level}a`] = [product(`l${level + 1}a`), product(`l${level + 1}b`)];
      graph[`l${level}b`] = [product(`l${level + 1}a`), product(`l${level + 1}b`, 3)];
    }
    graph[`l${MAX_LINEAGE_DEPTH - 1}a`] = [dataset('x', 'a1')];
    graph[`l${MAX_LINEAGE_DEPTH - 1}b`] = [dataset('y', 'a2')];
    let calls = 0;
    const lineage = resolveLineage('l0a', (id) => (calls++, lookupOf(graph)(id)));
    expect(lineage.depth).toBe(MAX_LINEAGE_DEPTH);
    expect(calls).toBe(2 * MAX_LINEAGE_DEPTH - 1);
    const total = lineage.leaves.reduce((sum, leaf) => addShares(sum, leaf.share), ZERO_SHARE);
    expect(total).toEqual({ numerator: 1n, denominator: 1n });
  });

  it('refuses a cycle and names it', () => {
    const error = expectDomainError(() => resolveLineage('p', lookupOf({ p: [product('q')], q: [dataset('d', 'a'), product('r')], r: [product('p')] })), 'product.lineage_cycle');
    expect(error.details).toEqual({ cycle: ['p', 'q', 'r', 'p'] });
    expect(error.kind).toBe('conflict');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [product('p')] })), 'product.lineage_cycle');
  });

  it('caps the depth, also when a deep sub-product is reached again through a longer path', () => {
    const chain = (length: number, prefix = 'c') => {
      const graph: Record<string, LineageInput[]> = {};
      for (let i = 0; i < length - 1; i++) graph[`${prefix}${i}`] = [product(`${prefix}${i + 1}`)];
      graph[`${prefix}${length - 1}`] = [dataset('d', 'a')];
      return graph;
    };
    expect(resolveLineage('c0', lookupOf(chain(MAX_LINEAGE_DEPTH))).depth).toBe(MAX_LINEAGE_DEPTH);
    expectDomainError(() => resolveLineage('c0', lookupOf(chain(MAX_LINEAGE_DEPTH + 1))), 'product.lineage_too_deep');
    // root → c1 (resolved first, height 31) and root → s → c1: the second path is one too long.
    const graph = { ...chain(MAX_LINEAGE_DEPTH), root: [product('c1'), product('s')], s: [product('c1')] };
    expectDomainError(() => resolveLineage('root', lookupOf(graph)), 'product.lineage_too_deep');
    expect(resolveLineage('root', lookupOf({ ...graph, root: [product('c2'), product('s')], s: [product('c2')] })).depth).toBe(MAX_LINEAGE_DEPTH);
  });

  it('refuses unknown products, empty or repeated inputs, bad weights and ids used for two things', () => {
    expectDomainError(() => resolveLineage('p', lookupOf({})), 'product.not_found');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [product('q')] })), 'product.not_found');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [] })), 'product.invalid_lineage');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [dataset('d', 'a'), dataset('d', 'a')] })), 'product.invalid_lineage');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [dataset('d', 'a', 0)] })), 'product.invalid_weights');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [dataset('d', 'a'), product('q')], q: [dataset('d', 'other')] })), 'product.invalid_lineage');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [dataset('d', 'a'), product('d')], d: [dataset('e', 'a')] })), 'product.invalid_lineage');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [product('q'), dataset('q', 'a')], q: [dataset('e', 'a')] })), 'product.invalid_lineage');
    expectDomainError(() => resolveLineage('p', lookupOf({ p: [product('q')], q: [dataset('p', 'a')] })), 'product.invalid_lineage');
  });

  /** Random acyclic lineages: product i reads only datasets and products numbered above i. */
  const lineageArbitrary = fc.integer({ min: 1, max: 6 }).chain((products) =>
    fc
      .tuple(
        ...Array.from({ length: products }, (_, index) =>
          fc.uniqueArray(
            fc.oneof(
              fc.record({ id: fc.constantFrom('d0', 'd1', 'd2', 'd3', 'd4'), weight: fc.integer({ min: 1, max: 20 }), kind: fc.constant('dataset_version' as const) }),
              ...(index + 1 < products
                ? [fc.record({ id: fc.integer({ min: index + 1, max: products - 1 }).map((n) => `p${n}`), weight: fc.integer({ min: 1, max: 20 }), kind: fc.constant('product_version' as const) })]
                : []),
            ),
            { minLength: 1, maxLength: 4, selector: (input) => input.id },
          ),
        ),
      )
      .map((lists) =>
        Object.fromEntries(
          lists.map((inputs, index) => [
            `p${index}`,
            inputs.map((input): LineageInput => (input.kind === 'dataset_version' ? dataset(input.id, `a${Number(input.id.slice(1)) % 2}`, input.weight) : product(input.id, input.weight))),
          ]),
        ),
      ),
  );

  /** Every path separately, as the definition says. */
  function naiveShares(graph: Record<string, LineageInput[]>, id: string, factor: Share, into: Map<string, Share>): void {
    const inputs = graph[id];
    const total = BigInt(inputs.reduce((sum, input) => sum + input.weight, 0));
    for (const input of inputs) {
      const share = multiplyShares(factor, makeShare(BigInt(input.weight), total));
      if (input.kind === 'dataset_version') into.set(input.id, addShares(into.get(input.id) ?? ZERO_SHARE, share));
      else naiveShares(graph, input.id, share, into);
    }
  }

  it('gives shares that sum to exactly 1 and equal the sum over every path (property)', () => {
    fc.assert(
      fc.property(lineageArbitrary, (graph) => {
        const lineage = resolveLineage('p0', lookupOf(graph));
        const expected = new Map<string, Share>();
        naiveShares(graph, 'p0', makeShare(1n, 1n), expected);
        expect(Object.fromEntries(lineage.leaves.map((leaf) => [leaf.id, leaf.share]))).toEqual(Object.fromEntries(expected));
        for (const list of [lineage.leaves.map((leaf) => leaf.share), lineage.agencies.map((agency) => agency.share)]) {
          expect(list.reduce(addShares, ZERO_SHARE)).toEqual({ numerator: 1n, denominator: 1n });
        }
        for (const leaf of lineage.leaves) expect(leaf.share.numerator).toBeGreaterThan(0n);
        expect(lineage.leaves.map((leaf) => leaf.id)).toEqual(lineage.leaves.map((leaf) => leaf.id).sort());
      }),
    );
  });
});

describe('allocateByLineage', () => {
  const third = makeShare(1n, 3n);

  it('gives the leftover units to the largest remainders, ties to the smaller id', () => {
    expect(allocateByLineage(100n, [{ id: 'c', share: third }, { id: 'a', share: third }, { id: 'b', share: third }])).toEqual([
      { id: 'c', amountMinor: 33n },
      { id: 'a', amountMinor: 34n },
      { id: 'b', amountMinor: 33n },
    ]);
    expect(
      allocateByLineage(10n, [
        { id: 'a', share: makeShare(1n, 6n) },
        { id: 'b', share: makeShare(1n, 2n) },
        { id: 'c', share: third },
      ]),
    ).toEqual([
      { id: 'a', amountMinor: 2n },
      { id: 'b', amountMinor: 5n },
      { id: 'c', amountMinor: 3n },
    ]);
  });

  it('splits a refund as the exact reverse of its sale, and zero as zero', () => {
    const split = [{ id: 'a', share: third }, { id: 'b', share: makeShare(2n, 3n) }];
    expect(allocateByLineage(-100n, split)).toEqual([
      { id: 'a', amountMinor: -33n },
      { id: 'b', amountMinor: -67n },
    ]);
    expect(allocateByLineage(0n, split).map((part) => part.amountMinor)).toEqual([0n, 0n]);
  });

  it('allocates directly from a resolved lineage, per dataset version or per agency', () => {
    const lineage = resolveLineage('p', lookupOf({ p: [dataset('d1', 'a1'), dataset('d2', 'a1'), dataset('d3', 'a2')] }));
    expect(allocateByLineage(1000n, lineage.leaves).map((part) => part.amountMinor)).toEqual([334n, 333n, 333n]);
    expect(allocateByLineage(1000n, lineage.agencies.map(({ agencyId, share }) => ({ id: agencyId, share })))).toEqual([
      { id: 'a1', amountMinor: 667n },
      { id: 'a2', amountMinor: 333n },
    ]);
  });

  it('refuses shares that are not a partition of 1', () => {
    expectDomainError(() => allocateByLineage(1n, []), 'product.invalid_shares');
    expectDomainError(() => allocateByLineage(1n, [{ id: 'a', share: third }]), 'product.invalid_shares');
    expectDomainError(() => allocateByLineage(1n, [{ id: 'a', share: third }, { id: 'a', share: makeShare(2n, 3n) }]), 'product.invalid_shares');
    expectDomainError(() => allocateByLineage(1n, [{ id: 'a', share: { numerator: 1n, denominator: 0n } }]), 'product.invalid_shares');
    expectDomainError(() => allocateByLineage(1n, [{ id: 'a', share: { numerator: 2n, denominator: 1n } }, { id: 'b', share: { numerator: -1n, denominator: 1n } }]), 'product.invalid_shares');
    const error = expectDomainError(() => allocateByLineage(1n, [{ id: 'a', share: third }, { id: 'b', share: third }]), 'product.invalid_shares');
    expect(error.details).toEqual({ total: '2/3' });
  });

  /** Random partitions of 1: integer parts over their sum, some of them zero. */
  const partitionArbitrary = fc
    .uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), part: fc.nat(1_000) }), { minLength: 1, maxLength: 12, selector: (entry) => entry.id })
    .filter((entries) => entries.some((entry) => entry.part > 0))
    .map((entries) => {
      const total = BigInt(entries.reduce((sum, entry) => sum + entry.part, 0));
      return entries.map(({ id, part }) => ({ id, share: makeShare(BigInt(part), total) }));
    });
  const amountArbitrary = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });

  it('sums exactly, stays within one unit of each exact share, and ignores input order (property)', () => {
    fc.assert(
      fc.property(amountArbitrary, partitionArbitrary, (amount, partition) => {
        const parts = allocateByLineage(amount, partition);
        expect(parts.map((part) => part.id)).toEqual(partition.map((entry) => entry.id));
        expect(parts.reduce((sum, part) => sum + part.amountMinor, 0n)).toBe(amount);
        parts.forEach((part, index) => {
          const { numerator, denominator } = partition[index].share;
          const error = part.amountMinor * denominator - amount * numerator; // (part − exact) × denominator
          expect(error > -denominator && error < denominator).toBe(true);
          if (numerator === 0n) expect(part.amountMinor).toBe(0n);
        });
        const reversed = allocateByLineage(amount, [...partition].reverse());
        expect([...reversed].reverse()).toEqual(parts);
        expect(allocateByLineage(amount, partition)).toEqual(parts);
        expect(allocateByLineage(-amount, partition).map((part) => -part.amountMinor)).toEqual(parts.map((part) => part.amountMinor));
      }),
    );
  });
});

describe('lineageGraph', () => {
  it('lists each node once and each input as an edge towards the product using it', () => {
    const lookup = lookupOf({
      root: [product('q', 3), { ...dataset('d1', 'a1'), label: '公交刷卡' }],
      q: [{ ...dataset('d1', 'a1'), label: '公交刷卡' }, dataset('d2', 'a2')],
    });
    expect(lineageGraph('root', lookup, { rootLabel: 'Commute index' })).toEqual({
      nodes: [
        { id: 'root', kind: 'product_version', label: 'Commute index' },
        { id: 'q', kind: 'product_version' },
        { id: 'd1', kind: 'dataset_version', label: '公交刷卡', agencyId: 'a1' },
        { id: 'd2', kind: 'dataset_version', agencyId: 'a2' },
      ],
      edges: [
        { from: 'q', to: 'root', weight: 3, share: 0.75 },
        { from: 'd1', to: 'q', weight: 1, share: 0.5 },
        { from: 'd2', to: 'q', weight: 1, share: 0.5 },
        { from: 'd1', to: 'root', weight: 1, share: 0.25 },
      ],
    });
  });

  it('validates like resolveLineage', () => {
    expectDomainError(() => lineageGraph('p', lookupOf({ p: [product('p')] })), 'product.lineage_cycle');
    expectDomainError(() => lineageGraph('p', lookupOf({})), 'product.not_found');
  });
});
