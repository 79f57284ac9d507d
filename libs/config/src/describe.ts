/** Documentation attached to each configuration variable (rendered by `describeConfig`). */
export interface VariableDoc {
  description: string;
  secret?: boolean;
  example?: string;
}

const DOCS = new WeakMap<object, Map<string, VariableDoc>>();

/** Documents a configuration variable; secrets are never echoed in error messages. */
export function Variable(doc: VariableDoc): PropertyDecorator {
  return (target, key) => {
    const docs = DOCS.get(target) ?? new Map<string, VariableDoc>();
    docs.set(String(key), doc);
    DOCS.set(target, docs);
  };
}

export function variableDocs(schema: abstract new () => object): Map<string, VariableDoc> {
  const merged = new Map<string, VariableDoc>();
  let proto: object | null = schema.prototype;
  const chain: object[] = [];
  while (proto && proto !== Object.prototype) {
    chain.unshift(proto);
    proto = Object.getPrototypeOf(proto);
  }
  for (const level of chain) for (const [key, doc] of DOCS.get(level) ?? []) merged.set(key, doc);
  return merged;
}
