import { Module } from '@nestjs/common';
import { CaseCheckService } from './case-check.service';

/** Legal case checks (relatives asked about, violence assessed, LVM report and pre-assessment). */
@Module({ providers: [CaseCheckService], exports: [CaseCheckService] })
export class CaseChecksModule {}
