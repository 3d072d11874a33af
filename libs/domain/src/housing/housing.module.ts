import { Module } from '@nestjs/common';
import { HousingService } from './housing.service';

/** Housing placements. */
@Module({ providers: [HousingService], exports: [HousingService] })
export class HousingModule {}
