// The person's identity facts as the overview and the details tab both show them (terms and values of a <dl>).
import type { ContactChannel, IdentityKind, LegalGender, PersonLanguage } from '../api/generated';
import { useI18n } from '../i18n/i18n';

export interface IdentityFactsPerson {
  identityKind: IdentityKind;
  identityNumber?: string | null;
  temporaryReference: string;
  birthYear?: number | null;
  legalGender: LegalGender;
  phone?: string | null;
  preferredContactChannel: ContactChannel;
  /** Shown where the query asks for it (the details tab). */
  preferredLanguage?: PersonLanguage;
}

export function IdentityFacts({ person, referenceLabel }: { person: IdentityFactsPerson; referenceLabel: string }) {
  const { t, label } = useI18n();
  return (
    <>
      <dt>{label('IdentityKind', person.identityKind)}</dt>
      <dd>{person.identityNumber ?? t('common.none')}</dd>
      <dt>{referenceLabel}</dt>
      <dd>{person.temporaryReference}</dd>
      <dt>{t('person.birthYear')}</dt>
      <dd>{person.birthYear ?? t('common.none')}</dd>
      <dt>{t('person.gender')}</dt>
      <dd>{label('LegalGender', person.legalGender)}</dd>
      <dt>{t('person.phone')}</dt>
      <dd>{person.phone ?? t('common.none')}</dd>
      <dt>{t('person.contactChannel')}</dt>
      <dd>{label('ContactChannel', person.preferredContactChannel)}</dd>
      {person.preferredLanguage && (
        <>
          <dt>{t('person.language')}</dt>
          <dd>{label('PersonLanguage', person.preferredLanguage)}</dd>
        </>
      )}
    </>
  );
}
