import { ASTVisitor, FragmentDefinitionNode, GraphQLError, Kind, SelectionSetNode, ValidationContext } from 'graphql';

/** Refuses queries nested deeper than `max`, so one request cannot make the server walk the graph without end. */
export function depthLimit(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions)
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD)
          deepest = Math.max(deepest, sel.selectionSet ? 1 + depthOf(sel.selectionSet, seen) : 0);
        else if (sel.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(sel.selectionSet, seen));
        else if (!seen.has(sel.name.value)) {
          const next = new Set(seen).add(sel.name.value);
          deepest = Math.max(deepest, depthOf(fragments.get(sel.name.value)?.selectionSet, next));
        }
      }
      return deepest;
    };

    return {
      OperationDefinition(node) {
        // Introspection (off in production) is exempt: a client's standard introspection query nests its type
        // references deeper than any data query may, and it reads only the schema.
        const data = {
          ...node.selectionSet,
          selections: node.selectionSet.selections.filter(
            (sel) => !(sel.kind === Kind.FIELD && sel.name.value.startsWith('__')),
          ),
        };
        const depth = depthOf(data, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`The query is nested ${depth} levels deep; at most ${max} are allowed`, { nodes: [node] }),
          );
        }
      },
    };
  };
}
