import { Module } from '@nestjs/common';
import { CaseloadService } from './caseload.service';
import { OverviewQueries } from './overview.queries';
import { PersonStandingQueries } from './person-standing';

/** Batch reads across features: a staff member's caseload, the overview's bundle, persons' standing. */
@Module({
  providers: [CaseloadService, OverviewQueries, PersonStandingQueries],
  exports: [CaseloadService, OverviewQueries, PersonStandingQueries],
})
export class OverviewModule {}
