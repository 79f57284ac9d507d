/**
 * Lineage: which government data each product version came from, and in what share. Revenue
 * of a product version is later paid to agencies along these shares.
 *
 * A product version's inputs are dataset versions (leaves) or other product versions, each with
 * an integer weight; an input's share of its product is weight / sum of the product's weights.
 * A leaf's share of the root is the sum, over every path from the root to it, of the product
 * of the shares along the path, kept as an exact fraction.
 */
import { DomainError } from '../errors/domain-error.js';
import { compareIds } from './order.js';
import { addShares, compareShares, formatShare, makeShare, multiplyShares, WHOLE_SHARE, ZERO_SHARE, type Share } from './share.js';

export const MAX_INPUT_WEIGHT = 1_000_000;
/** Product versions on the longest path from the root to a dataset version, the root included. */
export const MAX_LINEAGE_DEPTH = 32;

export type LineageInput =
  | { kind: 'dataset_version'; id: string; datasetId: string; agencyId: string; weight: number; label?: string }
  | { kind: 'product_version'; id: string; weight: number; label?: string };

/** A product version's inputs, or undefined when no such product version exists. */
export type LineageLookup = (productVersionId: string) => readonly LineageInput[] | undefined;

export interface LineageLeaf {
  /** The dataset version's id. */
  id: string;
  datasetId: string;
  agencyId: string;
  share: Share;
}

export interface ResolvedLineage {
  rootId: string;
  /** Product versions on the longest path to a dataset version, the root included. */
  depth: number;
  /** Sorted by id; shares sum to exactly 1. */
  leaves: LineageLeaf[];
  /** Sorted by agency id; shares sum to exactly 1. */
  agencies: { agencyId: string; share: Share }[];
}

export function defaultWeights(count: number): number[] {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new DomainError('product.invalid_weights', 'A product version has at least one input', { count });
  }
  return Array.from({ length: count }, () => 1);
}

export function validateWeights(weights: readonly number[]): void {
  if (weights.length === 0) throw new DomainError('product.invalid_weights', 'A product version has at least one input', { count: 0 });
  weights.forEach((weight, index) => {
    if (!Number.isSafeInteger(weight) || weight < 1 || weight > MAX_INPUT_WEIGHT) {
      throw new DomainError('product.invalid_weights', `Input weights are integers from 1 to ${MAX_INPUT_WEIGHT}`, { index, weight });
    }
  });
}

interface Resolved {
  height: number;
  leaves: Map<string, Share>;
}

/**
 * Walks derived-of-derived products down to their dataset versions. Each product version is
 * resolved once (shared sub-products are not re-walked). Throws product.not_found for an
 * unknown product version, product.lineage_cycle, product.lineage_too_deep, product.invalid_weights,
 * and product.invalid_lineage for an empty or repeated input or an id used inconsistently.
 */
export function resolveLineage(rootId: string, getInputs: LineageLookup): ResolvedLineage {
  const walk = new LineageWalk(getInputs);
  const root = walk.resolve(rootId, 1);
  const leaves = [...root.leaves]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([id, share]) => ({ id, ...walk.dataset(id), share }));
  const byAgency = new Map<string, Share>();
  for (const leaf of leaves) byAgency.set(leaf.agencyId, addShares(byAgency.get(leaf.agencyId) ?? ZERO_SHARE, leaf.share));
  const agencies = [...byAgency].sort(([a], [b]) => compareIds(a, b)).map(([agencyId, share]) => ({ agencyId, share }));
  return { rootId, depth: root.height, leaves, agencies };
}

class LineageWalk {
  private readonly resolved = new Map<string, Resolved>();
  private readonly datasets = new Map<string, { datasetId: string; agencyId: string }>();
  private readonly path: string[] = [];

  constructor(private readonly getInputs: LineageLookup) {}

  dataset(id: string): { datasetId: string; agencyId: string } {
    return this.datasets.get(id)!;
  }

  /** `depth` counts the product versions on the path from the root to `id`, `id` included. */
  resolve(id: string, depth: number): Resolved {
    if (this.path.includes(id)) {
      throw new DomainError('product.lineage_cycle', 'A product version cannot derive from itself', {
        cycle: [...this.path.slice(this.path.indexOf(id)), id],
      });
    }
    if (this.datasets.has(id)) throw inconsistent(id);
    const known = this.resolved.get(id);
    if (known) {
      assertDepth(depth - 1 + known.height, [...this.path, id]);
      return known;
    }
    assertDepth(depth, [...this.path, id]);
    const inputs = this.inputsOf(id);
    this.path.push(id);
    const total = BigInt(inputs.reduce((sum, input) => sum + input.weight, 0));
    const leaves = new Map<string, Share>();
    let height = 1;
    for (const input of inputs) {
      const local = makeShare(BigInt(input.weight), total);
      if (input.kind === 'dataset_version') {
        this.recordDataset(input);
        accumulate(leaves, input.id, local);
      } else {
        const child = this.resolve(input.id, depth + 1);
        height = Math.max(height, child.height + 1);
        for (const [leafId, share] of child.leaves) accumulate(leaves, leafId, multiplyShares(local, share));
      }
    }
    this.path.pop();
    const result = { height, leaves };
    this.resolved.set(id, result);
    return result;
  }

  private inputsOf(id: string): readonly LineageInput[] {
    const inputs = this.getInputs(id);
    if (inputs === undefined) throw new DomainError('product.not_found', 'Unknown product version in lineage', { productVersionId: id });
    if (inputs.length === 0) throw new DomainError('product.invalid_lineage', 'A product version has at least one input', { productVersionId: id });
    validateWeights(inputs.map((input) => input.weight));
    const ids = new Set(inputs.map((input) => input.id));
    if (ids.size !== inputs.length) {
      throw new DomainError('product.invalid_lineage', 'A product version lists each input once', { productVersionId: id });
    }
    return inputs;
  }

  private recordDataset(input: Extract<LineageInput, { kind: 'dataset_version' }>): void {
    const seen = this.datasets.get(input.id);
    if (this.resolved.has(input.id) || this.path.includes(input.id)) throw inconsistent(input.id);
    if (seen && (seen.agencyId !== input.agencyId || seen.datasetId !== input.datasetId)) throw inconsistent(input.id);
    this.datasets.set(input.id, { datasetId: input.datasetId, agencyId: input.agencyId });
  }
}

function accumulate(leaves: Map<string, Share>, id: string, share: Share): void {
  const previous = leaves.get(id);
  leaves.set(id, previous ? addShares(previous, share) : share);
}

function assertDepth(depth: number, path: readonly string[]): void {
  if (depth > MAX_LINEAGE_DEPTH) {
    throw new DomainError('product.lineage_too_deep', `Lineage may be at most ${MAX_LINEAGE_DEPTH} products deep`, {
      maxDepth: MAX_LINEAGE_DEPTH,
      path: [...path],
    });
  }
}

function inconsistent(id: string): DomainError {
  return new DomainError('product.invalid_lineage', 'An id names different things in this lineage', { id });
}

// ---------------------------------------------------------------------------------------------
// Money along lineage

/**
 * Splits an amount of minor units by exact shares with the largest remainder method: each
 * share gets the floor of its exact amount, then the units left over go one each to the
 * largest remainders, ties to the smaller id. The parts sum exactly to the amount, each is
 * within one unit of its exact share, and the result does not depend on the order of
 * `shares`. A negative amount (a refund) is split as the negation of its opposite, so a refund
 * reverses its sale exactly. Results are in the order of `shares`.
 */
export function allocateByLineage(
  amountMinor: bigint,
  shares: ReadonlyArray<{ id: string; share: Share }>,
): { id: string; amountMinor: bigint }[] {
  validateShares(shares);
  if (amountMinor < 0n) return allocateByLineage(-amountMinor, shares).map(({ id, amountMinor: part }) => ({ id, amountMinor: -part }));
  const parts = shares.map(({ id, share }) => {
    const exact = amountMinor * share.numerator;
    return { id, floor: exact / share.denominator, remainder: makeShare(exact % share.denominator, share.denominator) };
  });
  const leftover = amountMinor - parts.reduce((sum, part) => sum + part.floor, 0n);
  const bonus = new Set(
    [...parts]
      .sort((a, b) => compareShares(b.remainder, a.remainder) || compareIds(a.id, b.id))
      .slice(0, Number(leftover))
      .map((part) => part.id),
  );
  return parts.map(({ id, floor }) => ({ id, amountMinor: floor + (bonus.has(id) ? 1n : 0n) }));
}

function validateShares(shares: ReadonlyArray<{ id: string; share: Share }>): void {
  const ids = new Set(shares.map(({ id }) => id));
  const wellFormed = shares.every(({ share }) => share.denominator > 0n && share.numerator >= 0n);
  if (shares.length === 0 || ids.size !== shares.length || !wellFormed) {
    throw new DomainError('product.invalid_shares', 'Shares are non-negative fractions of distinct ids', { count: shares.length });
  }
  const total = shares.reduce((sum, { share }) => addShares(sum, makeShare(share.numerator, share.denominator)), ZERO_SHARE);
  if (compareShares(total, WHOLE_SHARE) !== 0) {
    throw new DomainError('product.invalid_shares', 'Shares must sum to exactly 1', { total: formatShare(total) });
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

export interface LineageGraph {
  /** The root first, then every node once, in depth-first order of the inputs. */
  nodes: { id: string; kind: 'product_version' | 'dataset_version'; label?: string; agencyId?: string }[];
  /**
   * Data flows `from` an input `to` the product version using it. `share` is the input's part
   * of that product (weight / sum of its weights) as a number, for drawing only: exact shares
   * come from resolveLineage.
   */
  edges: { from: string; to: string; weight: number; share: number }[];
}

export function lineageGraph(rootId: string, getInputs: LineageLookup, options: { rootLabel?: string } = {}): LineageGraph {
  resolveLineage(rootId, getInputs); // validates: known ids, no cycle, bounded depth, weights
  const root: LineageGraph['nodes'][number] = { id: rootId, kind: 'product_version' };
  if (options.rootLabel !== undefined) root.label = options.rootLabel;
  const graph: LineageGraph = { nodes: [root], edges: [] };
  const seen = new Set([rootId]);
  const visit = (productId: string): void => {
    const inputs = getInputs(productId)!;
    const total = inputs.reduce((sum, input) => sum + input.weight, 0);
    for (const input of inputs) {
      graph.edges.push({ from: input.id, to: productId, weight: input.weight, share: input.weight / total });
      if (seen.has(input.id)) continue;
      seen.add(input.id);
      graph.nodes.push(graphNode(input));
      if (input.kind === 'product_version') visit(input.id);
    }
  };
  visit(rootId);
  return graph;
}

function graphNode(input: LineageInput): LineageGraph['nodes'][number] {
  const node: LineageGraph['nodes'][number] = { id: input.id, kind: input.kind };
  if (input.label !== undefined) node.label = input.label;
  if (input.kind === 'dataset_version') node.agencyId = input.agencyId;
  return node;
}
