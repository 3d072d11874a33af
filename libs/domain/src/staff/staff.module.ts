import { Module } from '@nestjs/common';
import { ApiKeyService } from './api-key.service';
import { IntegrationClientService } from './integration-client.service';
import { StaffService } from './staff.service';

/** Staff members, their API keys, and the integration clients (OAuth) that act for an organisation. */
@Module({
  providers: [StaffService, ApiKeyService, IntegrationClientService],
  exports: [StaffService, ApiKeyService, IntegrationClientService],
})
export class StaffModule {}
