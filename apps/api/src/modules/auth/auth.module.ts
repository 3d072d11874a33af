import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { AuthResolver } from './auth.resolver';

/** The schema's auth resolvers (also what `npm run schema` builds the schema from). */
export const AUTH_RESOLVERS = [AuthResolver];

/** Signing in and out, and who is signed in. */
@Module({
  imports: [AuthModule],
  providers: [...AUTH_RESOLVERS],
})
export class AuthApiModule {}
