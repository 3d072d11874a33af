import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A unit inside an organisation, e.g. the addiction unit (skadligt bruk/beroende) of a district. */
@Entity('unit')
export class Unit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  name: string;
}
