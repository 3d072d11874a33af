import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Profession } from './profession';

@Entity('staff_member')
export class StaffMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @Column({ name: 'given_name', type: 'text' })
  givenName: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName: string;

  @Column({ type: 'text' })
  profession: Profession;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** May maintain the directory: organisations, units, staff and ACT teams. Grants no access to persons. */
  @Column({ type: 'boolean', default: false })
  administrator: boolean;

  /** Reviews the access log (log extracts, samples, emergency accesses). Grants no access to care data. */
  @Column({ type: 'boolean', default: false })
  auditor: boolean;

  /** Explicitly authorised to see where a person with a protected identity lives and is met. */
  @Column({ name: 'whereabouts_authorised', type: 'boolean', default: false })
  whereaboutsAuthorised: boolean;

  /** Manages the staff and units of their own organisation only. */
  @Column({ name: 'organisation_administrator', type: 'boolean', default: false })
  organisationAdministrator: boolean;

  /** An integration client signing in with an API key, not a person. */
  @Column({ name: 'service_account', type: 'boolean', default: false })
  serviceAccount: boolean;

  /** Login name for local (demo) authentication. */
  @Column({ type: 'text', nullable: true })
  username: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  /** The subject claim of this staff member's tokens from the external OpenID Connect issuer. */
  @Column({ name: 'external_subject', type: 'text', nullable: true })
  externalSubject: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
