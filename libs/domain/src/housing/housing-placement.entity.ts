import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { HousingKind } from './housing-kind';

@Entity('housing_placement')
export class HousingPlacement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  kind: HousingKind;

  @Column({ name: 'provider_organisation_id', type: 'uuid', nullable: true })
  providerOrganisationId: string | null;

  /** Hidden from everyone when the person has a protected identity. */
  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ name: 'started_on', type: 'date' })
  startedOn: string;

  /** Null while the person still lives there. */
  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
