import { Module } from '@nestjs/common';
import { CollaborationService } from './collaboration.service';

/** Collaboration groups around a person and their membership history. */
@Module({ providers: [CollaborationService], exports: [CollaborationService] })
export class CollaborationModule {}
