import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { HousingModule } from '@samverka/domain';
import { HousingResolver } from './housing.resolver';

/** The schema's housing resolvers (also what `npm run schema` builds the schema from). */
export const HOUSING_RESOLVERS = [HousingResolver];

/** Housing placements. */
@Module({
  imports: [AuthModule, HousingModule],
  providers: [...HOUSING_RESOLVERS],
})
export class HousingApiModule {}
