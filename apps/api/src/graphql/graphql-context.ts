import { AuthContext } from '@samverka/auth';
import { Loaders } from './loaders';

/** The context every resolver sees: who is asking (set by the AuthGuard) and this request's loaders. */
export interface GraphQLContext extends AuthContext {
  loaders: Loaders;
}
