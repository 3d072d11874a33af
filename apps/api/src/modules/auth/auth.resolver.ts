import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Public, TokenService } from '@samverka/auth';
import { Actor } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { StaffMemberType } from '../staff/staff.types';
import { LoginInput, LoginPayloadType } from './auth.types';

@Resolver()
export class AuthResolver {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Mutation(() => LoginPayloadType, { description: 'Password login for demo users (AUTH_MODE=local)' })
  async login(@Args('input') input: LoginInput, @Context() ctx: GraphQLContext) {
    const { token, expiresAt, actor } = await this.tokens.login(input.username, input.password, ctx.clientAddress);
    return { token, expiresAt, staff: await ctx.loaders.staff.load(actor.staffId) };
  }

  @Query(() => StaffMemberType, { description: 'The signed-in staff member' })
  me(@CurrentActor() actor: Actor, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(actor.staffId);
  }
}
