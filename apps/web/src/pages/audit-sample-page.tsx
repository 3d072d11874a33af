// The systematic log check: a random sample of access-log entries, each marked reviewed with what was found.
// The sample is drawn with a seed and a fixed end, both kept in the address, so the same entries come back
// after each review, a reload, or another day.
import {
  AccessLogSampleDocument,
  ReviewAccessLogEntryDocument,
  type AccessLogEntryFieldsFragment,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { AccessLogTable, AuditLayout, PeriodFields, periodVariables, type PeriodValues } from '../components/audit';
import { Field } from '../components/field';
import { QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useFieldErrors } from '../forms/field-fallback';
import { useI18n } from '../i18n/i18n';
import { useRouter, useSearchParams } from '../router';

interface DrawForm extends PeriodValues {
  size: string;
}

function newSeed(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function AuditSamplePage() {
  const { t } = useI18n();
  const { navigate } = useRouter();
  const [params] = useSearchParams();
  const seed = params.get('seed');
  const size = Number(params.get('size') ?? '20');
  const from = params.get('from');
  const to = params.get('to');
  const apiForm = useApiForm<DrawForm>({ unguarded: true, defaultValues: { size: String(size), from: '', to: '' } });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) => (name === 'size' ? t('audit.sample.invalidSize') : undefined));
  const sample = useQuery(AccessLogSampleDocument, { size, seed, from, to }, { skip: !seed });

  const draw = submit(async (values) => {
    const period = periodVariables(values);
    const next = new URLSearchParams({ seed: newSeed(), size: values.size });
    if (period.from) next.set('from', period.from);
    // A fixed end, so entries written after the draw never enter the sample.
    next.set('to', period.to ?? new Date().toISOString());
    navigate(`/audit/sample?${next.toString()}`);
  });

  return (
    <AuditLayout title={t('audit.sample.title')}>
      <p>{t('audit.sample.intro')}</p>
      <form className="card" onSubmit={draw} noValidate aria-label={t('audit.sample.draw')}>
        <Field label={t('audit.sample.size')} hint={t('audit.sample.sizeHint')} error={errorOf('size')}>
          <input
            type="number"
            min={1}
            max={500}
            inputMode="numeric"
            {...form.register('size', {
              required: 'required',
              validate: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 500) || t('audit.sample.invalidSize'),
            })}
          />
        </Field>
        <PeriodFields register={form.register as never} errorOf={(name) => errorOf(name)} />
        <FormProblem problem={problem} />
        <FormButtons busy={form.formState.isSubmitting} saveLabel={t('audit.sample.draw')} />
      </form>
      {seed && (
        <QueryView state={sample}>
          {(data) =>
            data.accessLogSample.length === 0 ? (
              <p>{t('audit.sample.none')}</p>
            ) : (
              <>
                <p className="hint">{t('audit.sample.findingHint')}</p>
                <p role="status">
                  {t('audit.sample.drawn', {
                    seed,
                    count: data.accessLogSample.length,
                    reviewed: data.accessLogSample.filter((e) => e.reviewedAt).length,
                  })}
                </p>
                <AccessLogTable
                  entries={data.accessLogSample}
                  showPerson
                  review={(entry) => <SampleReview entry={entry} />}
                />
              </>
            )
          }
        </QueryView>
      )}
    </AuditLayout>
  );
}

/** One entry's review: once made, what was found; before, a note and the button. */
function SampleReview({ entry }: { entry: AccessLogEntryFieldsFragment }) {
  const { t, dateTime } = useI18n();
  const review = useMutation(ReviewAccessLogEntryDocument);
  const apiForm = useApiForm<{ note: string }>({ defaultValues: { note: '' } });
  const { form, problem, submit, errorOf } = apiForm;
  if (entry.reviewedAt) {
    return (
      <div>
        <span className="tag">{t('audit.sample.reviewedBy', { date: dateTime(entry.reviewedAt) })}</span>
        {entry.reviewNote && <p>{entry.reviewNote}</p>}
      </div>
    );
  }
  const save = submit(async (values) => {
    await review.runOrThrow({ input: { entryId: entry.id, note: values.note.trim() || null } });
  });
  return (
    <form className="review-form" onSubmit={save} noValidate>
      <Field label={t('audit.sample.finding')} error={errorOf('note')}>
        <textarea rows={2} {...form.register('note')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={review.busy} saveLabel={t('audit.sample.markReviewed')} />
    </form>
  );
}
