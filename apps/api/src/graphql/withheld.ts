import { AccessPolicy } from '@samverka/auth';
import { Actor, SharingCategory } from '@samverka/domain';
import DataLoader from 'dataloader';
import { GraphQLContext } from './graphql-context';

/**
 * Whether the person's consent withholds a category of data from the actor's organisation ("do not share
 * X with Y"). The access policy decides; one statement per request tick for any number of persons.
 */
export async function isWithheld(ctx: GraphQLContext, access: AccessPolicy, actor: Actor, personId: string, category: SharingCategory): Promise<boolean> {
  return (await loader(ctx, access, actor).load(personId)).has(category);
}

/** Remembers what the access decision already said about withheld categories, so no second statement is needed. */
export function primeWithheld(ctx: GraphQLContext, access: AccessPolicy, actor: Actor, personId: string, withheld: Set<SharingCategory>): void {
  loader(ctx, access, actor).prime(personId, withheld);
}

function loader(ctx: GraphQLContext, access: AccessPolicy, actor: Actor): DataLoader<string, Set<SharingCategory>> {
  ctx.withheld ??= new DataLoader(async (ids: readonly string[]) => {
    const byPerson = await access.withheldCategories(actor, ids);
    return ids.map((id) => byPerson.get(id) ?? new Set<SharingCategory>());
  });
  return ctx.withheld;
}
