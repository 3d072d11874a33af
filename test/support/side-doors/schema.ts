import { TestApi } from '../test-api';

/**
 * The served schema, read by introspection, and what the side-door test builds from it: variables for any
 * mutation (required inputs filled generically, then overridden per mutation) and a deep selection of any
 * return type, so that a changed argument shape or a new field needs no change in the test.
 */

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
export interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
export interface FieldDef {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
export interface NamedType {
  name: string;
  kind: string;
  fields: FieldDef[] | null;
  inputFields: InputValue[] | null;
  enumValues: Array<{ name: string }> | null;
}

export interface Schema {
  mutations: FieldDef[];
  queries: FieldDef[];
  subscriptions: FieldDef[];
  types: Map<string, NamedType>;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';

export async function introspect(api: TestApi): Promise<Schema> {
  const r = await api.gql<any>(`{ __schema {
    queryType { fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
    mutationType { fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
    subscriptionType { fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
    types { name kind fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } }
            inputFields { name defaultValue type { ${TYPE_REF} } } enumValues { name } } } }`);
  if (!r.data) throw new Error(`introspection failed: ${JSON.stringify(r.errors)}`);
  const s = r.data.__schema;
  return {
    queries: s.queryType.fields,
    mutations: s.mutationType.fields,
    subscriptions: s.subscriptionType?.fields ?? [],
    types: new Map(s.types.map((t: NamedType) => [t.name, t])),
  };
}

export function typeName(t: TypeRef): string {
  if (t.kind === 'NON_NULL') return `${typeName(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${typeName(t.ofType!)}]`;
  return t.name!;
}

function namedOf(t: TypeRef): string {
  let x = t;
  while (x.ofType) x = x.ofType;
  return x.name!;
}

const isList = (t: TypeRef): boolean => (t.kind === 'NON_NULL' ? isList(t.ofType!) : t.kind === 'LIST');

/**
 * Plausible values for the scalars and ids the builders do not name: `hint(fieldName)` gives an id or a
 * value for a field by its name (personId, planId, ...); anything else gets a harmless value of its type.
 */
export type Hint = (field: string, scalar: string) => unknown;

export function fillInput(schema: Schema, type: TypeRef, field: string, hint: Hint, depth = 0): unknown {
  if (type.kind === 'NON_NULL') return fillInput(schema, type.ofType!, field, hint, depth);
  if (type.kind === 'LIST') {
    const item = fillInput(schema, type.ofType!, field, hint, depth + 1);
    return item === undefined ? [] : [item];
  }
  const named = schema.types.get(type.name!)!;
  if (named.kind === 'ENUM') return (hint(field, named.name) as string | undefined) ?? named.enumValues![0].name;
  if (named.kind === 'INPUT_OBJECT') {
    if (depth > 4) return undefined;
    const out: Record<string, unknown> = {};
    for (const f of named.inputFields!) {
      if (f.type.kind !== 'NON_NULL' || f.defaultValue !== null) continue; // optional or defaulted: left out unless overridden
      out[f.name] = fillInput(schema, f.type, f.name, hint, depth + 1);
    }
    return out;
  }
  const hinted = hint(field, named.name);
  if (hinted !== undefined) return hinted;
  switch (named.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    default:
      return `Side-door ${field}`;
  }
}

/**
 * Merges per-mutation overrides into the generic variables, keeping only what the input type still has
 * (a field moved elsewhere is dropped, not sent to fail validation); `undefined` in an override removes.
 */
export function mergeInput(schema: Schema, type: TypeRef, base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  let t = type;
  while (t.kind === 'NON_NULL') t = t.ofType!;
  const named = t.kind === 'LIST' ? undefined : schema.types.get(t.name!);
  if (
    !named ||
    named.kind !== 'INPUT_OBJECT' ||
    override === null ||
    typeof override !== 'object' ||
    Array.isArray(override)
  )
    return override;
  const out: Record<string, unknown> = { ...((base as Record<string, unknown>) ?? {}) };
  for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
    const f = named.inputFields!.find((x) => x.name === key);
    if (!f) continue;
    if (value === undefined) delete out[key];
    else out[key] = mergeInput(schema, f.type, out[key], value);
  }
  return out;
}

/** The variables for a root field: generic values for its arguments, then the overrides merged in. */
export function buildVariables(
  schema: Schema,
  field: FieldDef,
  hint: Hint,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const arg of field.args) {
    const base =
      arg.type.kind === 'NON_NULL' && arg.defaultValue === null
        ? fillInput(schema, arg.type, arg.name, hint)
        : undefined;
    const merged = mergeInput(schema, arg.type, base, overrides[arg.name]);
    if (merged !== undefined) vars[arg.name] = merged;
  }
  return vars;
}

/**
 * A selection of everything a type carries, to `depth` levels of objects, leaving out fields whose
 * arguments cannot be left out. Lists multiply the query's cost, so the depth is chosen by the caller.
 */
export function selectAll(
  schema: Schema,
  type: TypeRef,
  depth: number,
  skip: ReadonlySet<string> = new Set(),
  seen: string[] = [],
): string {
  const named = schema.types.get(namedOf(type))!;
  if (named.kind !== 'OBJECT' && named.kind !== 'INTERFACE') return '';
  const parts: string[] = [];
  for (const f of named.fields ?? []) {
    if (
      f.args.some((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null) ||
      skip.has(`${named.name}.${f.name}`)
    )
      continue;
    const inner = schema.types.get(namedOf(f.type))!;
    if (inner.kind === 'OBJECT' || inner.kind === 'INTERFACE') {
      if (depth <= 0 || seen.includes(inner.name)) continue;
      // A list of lists costs 100 per field: go one level less below a list.
      const sub = selectAll(schema, f.type, isList(f.type) ? depth - 2 : depth - 1, skip, [...seen, named.name]);
      if (sub) parts.push(`${f.name} ${sub}`);
    } else if (inner.kind !== 'UNION') parts.push(f.name);
  }
  return parts.length ? `{ ${parts.join(' ')} }` : '';
}

/** The document that calls one root field with its variables declared from its arguments. */
export function operationFor(
  schema: Schema,
  kind: 'mutation' | 'query' | 'subscription',
  field: FieldDef,
  variables: Record<string, unknown>,
  depth: number,
  skip: ReadonlySet<string> = new Set(),
): string {
  const args = field.args.filter((a) => a.name in variables);
  const signature = args.map((a) => `$${a.name}: ${typeName(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection =
    selectAll(schema, field.type, depth, skip) ||
    (schema.types.get(namedOf(field.type))?.kind === 'OBJECT' ? '{ __typename }' : '');
  return `${kind}${signature ? `(${signature})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection} }`;
}

/**
 * The `Type.field` an error path inside an answer points at (a field that crashed while the rest of the
 * answer was allowed), or null for an error of the root field itself (a refusal).
 */
export function fieldAt(schema: Schema, root: FieldDef, path: ReadonlyArray<string | number>): string | null {
  const names = path.filter((p): p is string => typeof p === 'string');
  if (names.length < 2) return null;
  let type = schema.types.get(namedOf(root.type));
  for (const name of names.slice(1, -1)) {
    const next = type?.fields?.find((f) => f.name === name);
    type = next ? schema.types.get(namedOf(next.type)) : undefined;
  }
  return type ? `${type.name}.${names[names.length - 1]}` : null;
}
