import { Module } from '@nestjs/common';
import { ConsentService } from './consent.service';

/** A person's consents to sharing between organisations. */
@Module({ providers: [ConsentService], exports: [ConsentService] })
export class ConsentModule {}
