import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { SipPlanModule } from '@samverka/domain';
import { PlanInterventionResolver, SipPlanResolver, SipPlanVersionResolver } from './sip-plan.resolver';

/** The schema's sip-plan resolvers (also what `npm run schema` builds the schema from). */
export const SIP_PLAN_RESOLVERS = [SipPlanResolver, SipPlanVersionResolver, PlanInterventionResolver];

/** SIP plans, their versions and interventions. */
@Module({
  imports: [AuthModule, SipPlanModule],
  providers: [...SIP_PLAN_RESOLVERS],
})
export class SipPlanApiModule {}
