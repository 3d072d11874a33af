import { Module } from '@nestjs/common';
import { OrganisationService } from './organisation.service';

/** Organisations and their units. */
@Module({ providers: [OrganisationService], exports: [OrganisationService] })
export class OrganisationModule {}
