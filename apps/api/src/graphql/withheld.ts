import { Extensions } from '@nestjs/graphql';
import { DECISIONS, PersonDataCategory, SharingCategory, WHEREABOUTS, whereaboutsHidden } from '@samverka/domain';
import DataLoader from 'dataloader';
import {
  defaultFieldResolver,
  GraphQLBoolean,
  GraphQLOutputType,
  GraphQLSchema,
  GraphQLString,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { GraphQLContext } from './graphql-context';

/**
 * Field hiding by one declared rule. Every GraphQL field that carries a person's data declares once what
 * it is shared as (`@SharedAs(SharingCategory.SIP_PLAN)`, `@SharedAs(WHEREABOUTS)`), and one wrapper put
 * on those fields when the schema is built (so HTTP and WebSocket alike) answers the field's empty
 * value (null, [], '', false or an empty connection) when a consent limitation ("do not share X with Y")
 * withholds that category from the actor's organisation, or when the field tells the whereabouts of a
 * person with a protected identity and the actor is not authorised for them, or when it tells the group's
 * decisions (`@SharedAs(DECISIONS)`) and the actor is an integration client without decisions.read. Resolvers never check.
 *
 * The person a field belongs to is its parent object's: `personId`, or `id` for a Person. What is withheld
 * is decided once per person and request (primed by the query that let the actor see the person), so a
 * declared field costs no statement of its own.
 */
const SHARED_AS = 'sharedAs';
const SHARED_EACH = 'sharedEach';

type Categories<T> =
  PersonDataCategory | readonly PersonDataCategory[] | ((parent: T) => readonly PersonDataCategory[]);

/** The field is the person's data of these categories (or those the parent object says). */
export const SharedAs = <T = never>(categories: Categories<T>) => Extensions({ [SHARED_AS]: categories });

/** A list whose items each are the person's data of the categories `of` says; withheld items are left out. */
export const SharedEach = <T>(of: (item: T) => readonly PersonDataCategory[]) => Extensions({ [SHARED_EACH]: of });

/** Types whose objects name their person other than by `personId`. */
const PERSON_OF: Record<string, (parent: { id?: string }) => string | undefined> = { Person: (p) => p.id };

function personOf(typeName: string, parent: unknown): string | undefined {
  if (!parent || typeof parent !== 'object') return undefined;
  return PERSON_OF[typeName]?.(parent) ?? (parent as { personId?: string }).personId;
}

function categoriesOf<T>(declared: Categories<T>, parent: T): readonly PersonDataCategory[] {
  if (typeof declared === 'function') return declared(parent);
  return typeof declared === 'string' ? [declared] : declared;
}

/** Whether any of the categories is hidden from the actor for this person. No actor or no person: hidden. */
async function hidden(
  ctx: GraphQLContext,
  personId: string | undefined,
  categories: readonly PersonDataCategory[],
): Promise<boolean> {
  if (categories.length === 0) return false;
  if (!ctx.actor || !personId) return true;
  for (const category of categories) {
    if (category === DECISIONS) {
      if (!ctx.access.maySeeDecisions(ctx.actor)) return true;
    } else if (category === WHEREABOUTS) {
      if (whereaboutsHidden(await ctx.loaders.person.load(personId), ctx.access.maySeeProtectedWhereabouts(ctx.actor)))
        return true;
    } else if ((await withheldLoader(ctx).load(personId)).has(category)) return true;
  }
  return false;
}

/**
 * Wraps the resolver of every declared field of the schema (once, when the schema is built, so fields that
 * carry no person data cost nothing): a withheld field answers its empty value without resolving, and a
 * SharedEach list leaves out its withheld items. Refuses to build a schema with a field that cannot be
 * emptied.
 */
export function withholdSharedFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const own = field.extensions?.[SHARED_AS] as Categories<unknown> | undefined;
      const each = field.extensions?.[SHARED_EACH] as ((item: unknown) => readonly PersonDataCategory[]) | undefined;
      if (!own && !each) continue;
      const empty = emptyValue(field.type, `${type.name}.${field.name}`);
      if (each && !isListType(isNonNullType(field.type) ? field.type.ofType : field.type))
        throw new Error(`${type.name}.${field.name}: SharedEach needs a list`);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, context: GraphQLContext, info) => {
        const personId = personOf(type.name, source);
        if (own && (await hidden(context, personId, categoriesOf(own, source)))) return empty();
        const value: unknown = await resolve(source, args, context, info);
        if (!each || !Array.isArray(value)) return value;
        const keep = await Promise.all(value.map(async (item) => !(await hidden(context, personId, each(item)))));
        return value.filter((_item, i) => keep[i]);
      };
    }
  }
  return schema;
}

/** What a withheld field answers: nothing, in the shape its type allows (a fresh value each time). */
function emptyValue(type: GraphQLOutputType, where: string): () => unknown {
  if (!isNonNullType(type)) return isListType(type) ? () => [] : () => null;
  const inner = type.ofType;
  if (isListType(inner)) return () => [];
  if (inner === GraphQLString) return () => '';
  if (inner === GraphQLBoolean) return () => false;
  if (isObjectType(inner) && inner.name.endsWith('Connection'))
    return () => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  throw new Error(`${where}: a field of type ${String(type)} cannot be withheld; make it nullable`);
}

/** The declared fields of a schema ("Type.field"), for tests and documentation. */
export function sharedFields(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((f) => f.extensions?.[SHARED_AS] || f.extensions?.[SHARED_EACH])
        .map((f) => `${type.name}.${f.name}`),
    );
}

/** Remembers what the access decision already said about withheld categories, so no second statement is needed. */
export function primeWithheld(ctx: GraphQLContext, personId: string, withheld: Set<SharingCategory>): void {
  withheldLoader(ctx).clear(personId).prime(personId, withheld);
}

function withheldLoader(ctx: GraphQLContext): DataLoader<string, Set<SharingCategory>> {
  ctx.withheld ??= new DataLoader(async (ids: readonly string[]) => {
    const byPerson = await ctx.access.withheldCategories(ctx.actor!, ids);
    return ids.map((id) => byPerson.get(id) ?? new Set<SharingCategory>());
  });
  return ctx.withheld;
}

/** What a consent limitation withholds from the actor's organisation for this person (primed by the access decision; no statement then). */
export function withheldFrom(ctx: GraphQLContext, personId: string): Promise<Set<SharingCategory>> {
  return withheldLoader(ctx).load(personId);
}
