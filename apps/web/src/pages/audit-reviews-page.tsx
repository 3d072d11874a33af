// What the auditor reviews item by item: emergency accesses, changed protection levels and episodes ended
// without the group's decision. Each names who did it, when and why (no care data); the auditor marks it
// reviewed with a note. Reading the list and marking an item are logged against the person by the API.
import { useState, type ReactNode } from 'react';
import {
  EmergencyAccessesToReviewDocument,
  EpisodeEndingsToReviewDocument,
  ProtectedIdentityChangesToReviewDocument,
  ReviewEmergencyAccessDocument,
  ReviewEpisodeEndingDocument,
  ReviewProtectedIdentityChangeDocument,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { AuditLayout } from '../components/audit';
import { Field } from '../components/field';
import { QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';

function UnreviewedOnly({ checked, onChange }: { checked: boolean; onChange: (value: boolean) => void }) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <label className="choice">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />{' '}
        {t('audit.review.unreviewedOnly')}
      </label>
    </div>
  );
}

/** The review of one item: once made, when and the note; before, a note and the button. */
function ReviewForm({
  reviewedAt,
  reviewNote,
  heading,
  save,
}: {
  reviewedAt: string | null;
  reviewNote: string | null;
  heading: string;
  save: (note: string | null) => Promise<unknown>;
}) {
  const { t, dateTime } = useI18n();
  const { form, problem, submit, errorOf } = useApiForm<{ note: string }>({ defaultValues: { note: '' } });
  if (reviewedAt) {
    return (
      <p>
        <span className="tag tag-info">{t('audit.review.reviewed', { date: dateTime(reviewedAt) })}</span> {reviewNote}
      </p>
    );
  }
  const onSubmit = submit((values) => save(values.note.trim() || null));
  return (
    <form
      className="review-form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`${t('audit.review.markReviewed')}: ${heading}`}
    >
      <span className="tag tag-warning">{t('audit.review.notReviewed')}</span>
      <Field label={t('audit.review.note')} error={errorOf('note')}>
        <textarea rows={2} {...form.register('note')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('audit.review.markReviewed')} />
    </form>
  );
}

function ReviewItem({
  heading,
  children,
  personId,
  staffId,
}: {
  heading: string;
  children: ReactNode;
  personId: string;
  staffId: string;
}) {
  const { t } = useI18n();
  return (
    <li>
      <h2>{heading}</h2>
      {children}
      <p className="actions">
        <Link to={`/audit/person?personId=${personId}`}>{t('audit.review.personLog')}</Link>
        <Link to={`/audit/staff?staffId=${staffId}`}>{t('audit.review.staffLog')}</Link>
      </p>
    </li>
  );
}

export function AuditEmergencyPage() {
  const { t, dateTime } = useI18n();
  const [unreviewedOnly, setUnreviewedOnly] = useState(true);
  const list = useQuery(EmergencyAccessesToReviewDocument, { unreviewedOnly });
  const review = useMutation(ReviewEmergencyAccessDocument);
  return (
    <AuditLayout title={t('audit.emergency.title')}>
      <UnreviewedOnly checked={unreviewedOnly} onChange={setUnreviewedOnly} />
      <QueryView state={list}>
        {(data) =>
          data.emergencyAccesses.edges.length === 0 ? (
            <p>{t('audit.emergency.none')}</p>
          ) : (
            <ul className="review-list">
              {data.emergencyAccesses.edges.map(({ node: e }) => {
                const heading = t('audit.emergency.heading', {
                  name: `${e.staff.givenName} ${e.staff.familyName}`,
                  organisation: e.organisation.name,
                });
                return (
                  <ReviewItem key={e.id} heading={heading} personId={e.personId} staffId={e.staffId}>
                    <p className="muted">
                      {t('audit.emergency.opened', { date: dateTime(e.openedAt), expires: dateTime(e.expiresAt) })}
                    </p>
                    <p>
                      <strong>{t('audit.emergency.reason')}:</strong> {e.reason}
                    </p>
                    <ReviewForm
                      reviewedAt={e.reviewedAt ?? null}
                      reviewNote={e.reviewNote ?? null}
                      heading={heading}
                      save={(note) => review.runOrThrow({ input: { id: e.id, note } })}
                    />
                  </ReviewItem>
                );
              })}
            </ul>
          )
        }
      </QueryView>
    </AuditLayout>
  );
}

export function AuditProtectionPage() {
  const { t, dateTime, label } = useI18n();
  const [unreviewedOnly, setUnreviewedOnly] = useState(true);
  const list = useQuery(ProtectedIdentityChangesToReviewDocument, { unreviewedOnly });
  const review = useMutation(ReviewProtectedIdentityChangeDocument);
  return (
    <AuditLayout title={t('audit.protection.title')}>
      <UnreviewedOnly checked={unreviewedOnly} onChange={setUnreviewedOnly} />
      <QueryView state={list}>
        {(data) =>
          data.protectedIdentityChanges.edges.length === 0 ? (
            <p>{t('audit.protection.none')}</p>
          ) : (
            <ul className="review-list">
              {data.protectedIdentityChanges.edges.map(({ node: c }) => {
                const heading = t('audit.protection.heading', {
                  from: label('ProtectedIdentity', c.fromLevel),
                  to: label('ProtectedIdentity', c.toLevel),
                });
                return (
                  <ReviewItem key={c.id} heading={heading} personId={c.personId} staffId={c.changedBy}>
                    <p className="muted">
                      {t('audit.protection.changed', {
                        date: dateTime(c.changedAt),
                        name: `${c.changedByStaff.givenName} ${c.changedByStaff.familyName}`,
                        organisation: c.changedByStaff.organisation.name,
                      })}
                    </p>
                    <p>
                      <strong>{t('audit.protection.reason')}:</strong> {c.reason}
                    </p>
                    <ReviewForm
                      reviewedAt={c.reviewedAt ?? null}
                      reviewNote={c.reviewNote ?? null}
                      heading={heading}
                      save={(note) => review.runOrThrow({ input: { id: c.id, note } })}
                    />
                  </ReviewItem>
                );
              })}
            </ul>
          )
        }
      </QueryView>
    </AuditLayout>
  );
}

export function AuditEndingsPage() {
  const { t, dateTime, label } = useI18n();
  const [unreviewedOnly, setUnreviewedOnly] = useState(true);
  const list = useQuery(EpisodeEndingsToReviewDocument, { unreviewedOnly });
  const review = useMutation(ReviewEpisodeEndingDocument);
  return (
    <AuditLayout title={t('audit.endings.title')}>
      <UnreviewedOnly checked={unreviewedOnly} onChange={setUnreviewedOnly} />
      <QueryView state={list}>
        {(data) =>
          data.episodeEndingsToReview.length === 0 ? (
            <p>{t('audit.endings.none')}</p>
          ) : (
            <ul className="review-list">
              {data.episodeEndingsToReview.map((e) => {
                const heading = t('audit.endings.heading', {
                  kind: label('EpisodeKind', e.kind),
                  organisation: e.organisation.name,
                  reason: label('EndingReason', e.reason),
                });
                return (
                  <ReviewItem key={e.episodeId} heading={heading} personId={e.personId} staffId={e.endedBy}>
                    <p className="muted">
                      {t('audit.endings.ended', {
                        date: dateTime(e.endedAt),
                        name: `${e.endedByStaff.givenName} ${e.endedByStaff.familyName}`,
                      })}
                    </p>
                    <p>
                      <strong>{t('audit.endings.evidence')}:</strong> {e.evidence}
                    </p>
                    <ReviewForm
                      reviewedAt={e.reviewedAt ?? null}
                      reviewNote={e.reviewNote ?? null}
                      heading={heading}
                      save={(note) => review.runOrThrow({ input: { episodeId: e.episodeId, note } })}
                    />
                  </ReviewItem>
                );
              })}
            </ul>
          )
        }
      </QueryView>
    </AuditLayout>
  );
}
