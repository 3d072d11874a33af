import { Module } from '@nestjs/common';
import { ActTeamService } from './act-team.service';
import { ActTeamFigures } from './caseload-figures';

/** ACT teams: members, enrolled clients, on-call shifts and caseload figures. */
@Module({ providers: [ActTeamService, ActTeamFigures], exports: [ActTeamService, ActTeamFigures] })
export class ActTeamModule {}
