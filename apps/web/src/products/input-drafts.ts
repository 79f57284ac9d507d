import type { InputCandidate, InputColumn, ProductInput, ProductInputSpec } from '../api/schema-types';
import { INPUT_NAME, INPUT_WEIGHT, isSqlReservedWord, MAX_INPUTS } from './product-vocabulary';
import { suggestInputName } from './sql-schema';

/** One input being edited: which dataset or product, the name the SQL reads it by, its weight. */
export interface InputDraft {
  /** Stable row key while editing. */
  key: string;
  /** `dataset:<id>` or `product:<id>`, empty until chosen. */
  source: string;
  name: string;
  weight: number;
  /** The name was suggested from the source and follows it until the owner types one. */
  nameSuggested: boolean;
}

export type InputProblem =
  | 'source_required'
  | 'source_repeated'
  | 'source_denied'
  | 'name_required'
  | 'name_invalid'
  | 'name_reserved'
  | 'name_repeated'
  | 'weight_invalid';

export const sourceKey = (kind: 'dataset' | 'product', id: string) => `${kind}:${id}`;

let counter = 0;
export function newDraftKey(): string {
  counter += 1;
  return `input-${counter}`;
}

export function draftsOf(inputs: readonly ProductInput[]): InputDraft[] {
  return [...inputs]
    .sort((a, b) => a.position - b.position)
    .map((input) => ({ key: newDraftKey(), source: sourceKey(input.kind, input.id), name: input.name, weight: input.weight, nameSuggested: false }));
}

/**
 * The inputs the SQL editor completes while inputs are being edited: every draft with a valid
 * name (a dry run reads unsaved inputs too), with the columns of the saved input of the same
 * source; a source not saved yet has no columns until it is.
 */
export function completionInputs(drafts: readonly InputDraft[], saved: readonly ProductInput[]): Array<{ name: string; columns: readonly InputColumn[] }> {
  const seen = new Set<string>();
  const inputs: Array<{ name: string; columns: readonly InputColumn[] }> = [];
  for (const draft of drafts) {
    if (!INPUT_NAME.test(draft.name) || isSqlReservedWord(draft.name) || seen.has(draft.name)) continue;
    seen.add(draft.name);
    const source = saved.find((input) => sourceKey(input.kind, input.id) === draft.source);
    inputs.push({ name: draft.name, columns: source?.columns ?? [] });
  }
  return inputs;
}

export function emptyDraft(): InputDraft {
  return { key: newDraftKey(), source: '', name: '', weight: INPUT_WEIGHT.default, nameSuggested: true };
}

/** A draft after choosing `candidate`: the name follows the candidate unless the owner typed one. */
export function withSource(drafts: readonly InputDraft[], key: string, candidate: InputCandidate): InputDraft[] {
  const taken = drafts.filter((draft) => draft.key !== key).map((draft) => draft.name);
  return drafts.map((draft) =>
    draft.key === key
      ? {
          ...draft,
          source: sourceKey(candidate.kind, candidate.id),
          name: draft.nameSuggested || draft.name === '' ? suggestInputName(candidate.slug, taken) : draft.name,
          nameSuggested: draft.nameSuggested || draft.name === '',
        }
      : draft,
  );
}

/** Problems of each row (by key), and of the list as a whole (too many, none). */
export function inputProblems(
  drafts: readonly InputDraft[],
  candidates: readonly InputCandidate[],
): { rows: Record<string, InputProblem[]>; list: 'none' | 'too_many' | null } {
  const rows: Record<string, InputProblem[]> = {};
  const countOf = (pick: (draft: InputDraft) => string) => {
    const counts = new Map<string, number>();
    for (const draft of drafts) counts.set(pick(draft), (counts.get(pick(draft)) ?? 0) + 1);
    return counts;
  };
  const sources = countOf((draft) => draft.source);
  const names = countOf((draft) => draft.name);
  for (const draft of drafts) {
    const problems: InputProblem[] = [];
    const candidate = candidates.find((entry) => sourceKey(entry.kind, entry.id) === draft.source);
    if (!draft.source) problems.push('source_required');
    else if ((sources.get(draft.source) ?? 0) > 1) problems.push('source_repeated');
    if (candidate?.access === 'denied') problems.push('source_denied');
    if (!draft.name) problems.push('name_required');
    else if (!INPUT_NAME.test(draft.name)) problems.push('name_invalid');
    else if (isSqlReservedWord(draft.name)) problems.push('name_reserved');
    else if ((names.get(draft.name) ?? 0) > 1) problems.push('name_repeated');
    if (!Number.isInteger(draft.weight) || draft.weight < INPUT_WEIGHT.min || draft.weight > INPUT_WEIGHT.max) problems.push('weight_invalid');
    if (problems.length > 0) rows[draft.key] = problems;
  }
  const list = drafts.length === 0 ? 'none' : drafts.length > MAX_INPUTS ? 'too_many' : null;
  return { rows, list };
}

export function hasInputProblems(drafts: readonly InputDraft[], candidates: readonly InputCandidate[]): boolean {
  const problems = inputProblems(drafts, candidates);
  return problems.list !== null || Object.keys(problems.rows).length > 0;
}

/** The request body's inputs. */
export function toInputSpecs(drafts: readonly InputDraft[]): ProductInputSpec[] {
  return drafts.map((draft) => {
    const [kind, id] = draft.source.split(':') as ['dataset' | 'product', string];
    return { name: draft.name, ...(kind === 'dataset' ? { datasetId: id } : { productId: id }), weight: draft.weight };
  });
}

/** Whether the drafts differ from the saved inputs (order, source, name or weight). */
export function inputsChanged(drafts: readonly InputDraft[], saved: readonly ProductInput[]): boolean {
  const savedDrafts = draftsOf(saved);
  return (
    drafts.length !== savedDrafts.length ||
    drafts.some((draft, index) => {
      const other = savedDrafts[index]!;
      return draft.source !== other.source || draft.name !== other.name || draft.weight !== other.weight;
    })
  );
}

/** Each input's share of the product from the weights, 0..1 (equal when all weights are 1). */
export function weightShares(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + (Number.isFinite(weight) && weight > 0 ? weight : 0), 0);
  return weights.map((weight) => (total > 0 && weight > 0 ? weight / total : 0));
}
