import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IdentityKind } from '../identity/identity-number';
import {
  ChildRecord,
  ChildrenStatus,
  ContactChannel,
  LegalGender,
  PersonLanguage,
  ProtectedIdentity,
} from './person.enums';

/** The person the plan is for (patient in the region, client in social services). */
@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'identity_kind', type: 'text' })
  identityKind: IdentityKind;

  /** 12 digits; null while the person is unidentified. */
  @Column({ name: 'identity_number', type: 'text', nullable: true })
  identityNumber: string | null;

  /** Always set: how staff refer to the person before (and after) an identity number is known. */
  @Column({ name: 'temporary_reference', type: 'text' })
  temporaryReference: string;

  /** The organisation that registered the person; its principal holds the record (others need consent). */
  @Column({ name: 'home_organisation_id', type: 'uuid' })
  homeOrganisationId: string;

  @Column({ name: 'given_name', type: 'text' })
  givenName: string;

  @Column({ name: 'family_name', type: 'text' })
  familyName: string;

  @Column({ name: 'birth_year', type: 'int', nullable: true })
  birthYear: number | null;

  @Column({ name: 'legal_gender', type: 'text' })
  legalGender: LegalGender;

  @Column({ name: 'protected_identity', type: 'text', default: ProtectedIdentity.NONE })
  protectedIdentity: ProtectedIdentity;

  @Column({ name: 'children_status', type: 'text', default: ChildrenStatus.UNKNOWN })
  childrenStatus: ChildrenStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  children: ChildRecord[];

  /** How the person's situation affects their children (barnkonsekvens), beside the children question. */
  @Column({ name: 'child_impact_note', type: 'text', nullable: true })
  childImpactNote: string | null;

  @Column({ name: 'preferred_contact_channel', type: 'text', default: ContactChannel.VIA_STAFF })
  preferredContactChannel: ContactChannel;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** The language of messages to the person (SMS, appointment notes). */
  @Column({ name: 'preferred_language', type: 'text', default: PersonLanguage.SV })
  preferredLanguage: PersonLanguage;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
