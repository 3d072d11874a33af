import {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  getVariableValues,
  ValidationContext,
} from 'graphql';

/** Most aliases one document may use: aliases are how one request repeats an expensive field many times. */
export const MAX_ALIASES = 30;
/** Most cost one operation may have (see operationCost): the web client's largest, the reports page at 200 persons, costs about 10,000; a caseload with every timeline costs 80,000. */
export const MAX_COST = 20_000;
/** The refusal of an operation over MAX_COST (HTTP 400), or null when it is within; the same over HTTP and WebSocket. */
export function costRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): GraphQLError | null {
  const cost = operationCost(schema, document, operation, variables);
  if (cost <= MAX_COST) return null;
  return new GraphQLError(
    `The query would cost ${cost}; at most ${MAX_COST} is allowed (ask for fewer items with first)`,
    {
      extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost: MAX_COST, http: { status: 400 } },
    },
  );
}

/** What a list without a size argument is assumed to hold when costing. */
const ASSUMED_LIST_SIZE = 10;
/** The arguments that say how many items a field returns. */
const SIZE_ARGUMENTS = ['first', 'limit', 'size'] as const;
/**
 * The most items any list argument allows (the access log's pages; other lists allow fewer and their
 * validation refuses more, naming the argument), so a larger number is costed at this.
 */
const MAX_COSTED_ITEMS = 500;

/** Refuses documents with more than `max` aliased fields. */
export function aliasLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias && ++aliases === max + 1) {
          context.reportError(new GraphQLError(`The query uses more than ${max} aliases`, { nodes: [node] }));
        }
      },
    };
  };
}

/**
 * The cost of an operation with its variables: every field costs 1 plus the cost of its selection,
 * multiplied by the number of items it can return: its `first`, `limit` or `size` argument as it will
 * run (a variable's default and the argument's own default count, not only what the request spells
 * out), or an assumed 10 for a list without one (the `edges` of a connection take the connection's
 * `first`, not 10 more).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;
  // The variables as execution will see them, defaults applied; invalid ones are refused by execution anyway.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  const values = coerced.coerced ?? variables;

  const sizeOf = (def: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, values);
    } catch {
      return NaN; // an argument of the wrong type: validation refuses the request, naming it
    }
    const size = SIZE_ARGUMENTS.map((name) => args[name]).find((v): v is number => typeof v === 'number');
    return size === undefined ? NaN : size;
  };

  const costOf = (
    set: SelectionSetNode | undefined,
    type: GraphQLObjectType,
    inConnection: boolean,
    seen: Set<string>,
  ): number => {
    if (!set) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = type.getFields()[sel.name.value];
        if (!def) continue;
        const named = getNamedType(def.type);
        const size = sizeOf(def, sel);
        const isList = isListType(getNullableType(def.type));
        const multiplier =
          Number.isFinite(size) && size > 0
            ? Math.min(size, MAX_COSTED_ITEMS)
            : isList && !(inConnection && sel.name.value === 'edges')
              ? ASSUMED_LIST_SIZE
              : 1;
        const below = isObjectType(named)
          ? costOf(sel.selectionSet, named, named.name.endsWith('Connection'), seen)
          : 0;
        total += 1 + multiplier * below;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        total += costOf(sel.selectionSet, isObjectType(on) ? on : type, inConnection, seen);
      } else if (!seen.has(sel.name.value)) {
        const fragment = fragments.get(sel.name.value);
        const on = fragment ? schema.getType(fragment.typeCondition.name.value) : null;
        if (fragment)
          total += costOf(
            fragment.selectionSet,
            isObjectType(on) ? on : type,
            inConnection,
            new Set(seen).add(sel.name.value),
          );
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, root, false, new Set());
}
