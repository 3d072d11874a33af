import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { AccessModule } from '@samverka/domain';
import {
  AccessLogExtractResolver,
  AuditResolver,
  EmergencyAccessFieldsResolver,
  EpisodeEndingFieldsResolver,
  ProtectedIdentityChangeFieldsResolver,
} from './audit.resolver';

/** The schema's audit resolvers (also what `npm run schema` builds the schema from). */
export const AUDIT_RESOLVERS = [
  AuditResolver,
  EmergencyAccessFieldsResolver,
  ProtectedIdentityChangeFieldsResolver,
  EpisodeEndingFieldsResolver,
  AccessLogExtractResolver,
];

/** The auditors' reads: the access log, its review and extracts, emergency accesses. */
@Module({
  imports: [AuthModule, AccessModule],
  providers: [...AUDIT_RESOLVERS],
})
export class AuditApiModule {}
