import { AccessPolicy, AuthContext } from '@samverka/auth';
import { SharingCategory } from '@samverka/domain';
import DataLoader from 'dataloader';
import { Loaders } from './loaders';

/** The context every resolver sees: who is asking (set by the AuthGuard) and this request's loaders. */
export interface GraphQLContext extends AuthContext {
  loaders: Loaders;
  /** The access policy, for the field middleware that hides withheld fields (withheld.ts). */
  access: AccessPolicy;
  /** Categories withheld from the actor by consent limitations, per person (see withheld.ts); created on first use. */
  withheld?: DataLoader<string, Set<SharingCategory>>;
}
