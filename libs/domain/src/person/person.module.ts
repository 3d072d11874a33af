import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { PersonService } from './person.service';
import { RecordOwnerQueries } from './record-owner.queries';
import { RelativeService } from './relative.service';

/** The person a collaboration is about: identity, protected identity, relatives, record owner. */
@Module({
  imports: [NotificationsModule],
  providers: [PersonService, RelativeService, RecordOwnerQueries],
  exports: [PersonService, RelativeService, RecordOwnerQueries],
})
export class PersonModule {}
