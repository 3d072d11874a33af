// The auditor's log extracts: a person's (the extract a person may ask for, found by their identity number, with
// CSV export and a printable extract in plain words for the person) and a staff member's. The auditor may not
// search the register, so a person is found by the number they give, never by name; the number stays out of
// the address bar. Every page of entries is fetched (500 at a time) before it is shown, exported or printed.
import { useEffect, useState } from 'react';
import {
  AccessLogForIdentityNumberDocument,
  AccessLogForPersonDocument,
  AccessLogForStaffDocument,
  AuditOrganisationsDocument,
  AuditStaffOfOrganisationDocument,
  type AccessLogEntryFieldsFragment,
} from '../api/generated';
import { ApiError } from '../api/client';
import { useApi, useQuery } from '../api/hooks';
import {
  AccessLogTable,
  AuditLayout,
  codeText,
  csvRows,
  PeriodFields,
  periodVariables,
  type PeriodValues,
} from '../components/audit';
import { Field } from '../components/field';
import { ErrorMessage, Loading } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useFieldErrors } from '../forms/field-fallback';
import { useI18n, type I18n } from '../i18n/i18n';
import { downloadCsv, toCsv } from '../lib/csv';
import { useSearchParams } from '../router';
import { useSession } from '../session';

/** At most this many pages of 500 entries are read for one extract (a longer one asks for a shorter period). */
const MAX_PAGES = 20;
const PAGE_SIZE = 500;

/** Reads page after page (each older than the last entry of the one before) until a short page. */
async function allPages(
  fetchPage: (beforeId: string | null) => Promise<AccessLogEntryFieldsFragment[]>,
): Promise<{ entries: AccessLogEntryFieldsFragment[]; truncated: boolean }> {
  const entries: AccessLogEntryFieldsFragment[] = [];
  let beforeId: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const rows = await fetchPage(beforeId);
    entries.push(...rows);
    if (rows.length < PAGE_SIZE) return { entries, truncated: false };
    beforeId = rows[rows.length - 1].id;
  }
  return { entries, truncated: true };
}

interface Extract {
  entries: AccessLogEntryFieldsFragment[];
  truncated: boolean;
  registered: boolean;
  /** The number as the auditor typed it, for the printed extract (kept in memory only). */
  identityNumber: string | null;
  period: PeriodValues;
}

function fileDate(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Prints the extract for the person and nothing else (see the print rules in styles.css). */
function printExtract(): void {
  document.body.classList.add('printing-extract');
  window.addEventListener('afterprint', () => document.body.classList.remove('printing-extract'), { once: true });
  window.print();
}

/** The extract in plain words for the person: one sentence per access, who, where, when, what, on what ground. */
function PrintableExtract({ extract }: { extract: Extract }) {
  const i18n = useI18n();
  const { t, dateTime, date } = i18n;
  const { staff } = useSession();
  return (
    <section className="log-extract">
      <h2>{t('audit.extract.title')}</h2>
      {extract.identityNumber && <p>{t('audit.extract.forNumber', { number: extract.identityNumber })}</p>}
      <p>
        {extract.period.from || extract.period.to
          ? t('audit.extract.period', {
              from: extract.period.from ? date(extract.period.from) : '',
              to: extract.period.to ? date(extract.period.to) : '',
            })
          : t('audit.extract.wholeLog')}
      </p>
      <p>{t('audit.extract.intro')}</p>
      {extract.entries.length === 0 ? (
        <p>{t('audit.extract.none')}</p>
      ) : (
        <ol>
          {extract.entries.map((e) => (
            <li key={e.id}>{extractSentence(i18n, e, dateTime)}</li>
          ))}
        </ol>
      )}
      <p>{t('audit.extract.questions')}</p>
      {staff && (
        <p>
          {t('audit.extract.made', {
            date: dateTime(new Date().toISOString()),
            name: `${staff.givenName} ${staff.familyName}`,
            organisation: staff.organisation.name,
          })}
        </p>
      )}
    </section>
  );
}

function extractSentence(i18n: I18n, e: AccessLogEntryFieldsFragment, dateTime: (iso: string) => string): string {
  return i18n.t('audit.extract.sentence', {
    when: dateTime(e.occurredAt),
    who: e.staffName,
    organisation: e.organisationName,
    what: codeText(i18n, 'actions', e.action) ?? codeText(i18n, 'actionLabels', e.action) ?? e.action,
    ground: codeText(i18n, 'grounds', e.ground) ?? '',
  });
}

function ExtractResult({ extract, filename }: { extract: Extract; filename: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const exportCsv = () => {
    const { header, rows } = csvRows(i18n, extract.entries);
    downloadCsv(filename, toCsv(header, rows));
  };
  return (
    <>
      {extract.registered ? (
        <>
          <p role="status">
            {extract.entries.length
              ? t('audit.person.count', { count: extract.entries.length })
              : t('audit.person.none')}
          </p>
          {extract.truncated && (
            <p className="notice notice-warning">{t('audit.truncated', { count: extract.entries.length })}</p>
          )}
          <div className="actions">
            <button type="button" className="button secondary" onClick={exportCsv}>
              {t('audit.exportCsv')}
            </button>
            <button type="button" className="button secondary" onClick={printExtract}>
              {t('audit.print')}
            </button>
          </div>
          {extract.entries.length > 0 && <AccessLogTable entries={extract.entries} />}
        </>
      ) : (
        <p role="status" className="notice">
          {t('audit.person.notRegistered')}
        </p>
      )}
      {extract.registered && <PrintableExtract extract={extract} />}
    </>
  );
}

interface PersonForm extends PeriodValues {
  identityNumber: string;
}

/** A person's log extract: by the identity number the person gives, or (from a link in another log) by the entry's person. */
export function AuditPersonLogPage() {
  const { t } = useI18n();
  const api = useApi();
  const [params] = useSearchParams();
  const personId = params.get('personId');
  const apiForm = useApiForm<PersonForm>({ unguarded: true, defaultValues: { identityNumber: '', from: '', to: '' } });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) =>
    name === 'identityNumber' ? t('audit.person.invalidNumber') : undefined,
  );
  const [extract, setExtract] = useState<Extract | null>(null);

  const show = submit(async (values) => {
    setExtract(null);
    const period = periodVariables(values);
    const identityNumber = values.identityNumber.trim();
    let registered = true;
    const read =
      personId && !identityNumber
        ? await allPages(
            async (beforeId) =>
              (await api.request(AccessLogForPersonDocument, { personId, ...period, beforeId })).accessLogForPerson,
          )
        : await allPages(async (beforeId) => {
            const answer = (
              await api.request(AccessLogForIdentityNumberDocument, { identityNumber, ...period, beforeId })
            ).accessLogForIdentityNumber;
            registered = answer.registered;
            return answer.entries;
          });
    setExtract({
      ...read,
      registered,
      identityNumber: identityNumber || null,
      period: { from: values.from, to: values.to },
    });
  });

  return (
    <AuditLayout title={t('audit.person.title')}>
      <p>{personId ? t('audit.person.fromLink') : t('audit.person.intro')}</p>
      <form className="card" onSubmit={show} noValidate aria-label={t('audit.person.title')}>
        {!personId && (
          <Field
            label={t('audit.person.identityNumber')}
            hint={t('audit.person.identityNumberHint')}
            error={errorOf('identityNumber')}
          >
            <input
              autoComplete="off"
              inputMode="numeric"
              {...form.register('identityNumber', { required: 'required' })}
            />
          </Field>
        )}
        <PeriodFields register={form.register as never} errorOf={(name) => errorOf(name)} />
        <FormProblem problem={problem} />
        <FormButtons busy={form.formState.isSubmitting} saveLabel={t('audit.show')} />
      </form>
      {form.formState.isSubmitting && <Loading />}
      {extract && <ExtractResult extract={extract} filename={`loggutdrag-${fileDate()}.csv`} />}
    </AuditLayout>
  );
}

interface StaffForm extends PeriodValues {
  organisationId: string;
  staffId: string;
}

/** What one staff member looked at: chosen by organisation and name (the directory, no person data), or from a link in another log. */
export function AuditStaffLogPage() {
  const i18n = useI18n();
  const { t, label } = i18n;
  const api = useApi();
  const [params] = useSearchParams();
  const linkedStaffId = params.get('staffId') ?? '';
  const apiForm = useApiForm<StaffForm>({
    unguarded: true,
    defaultValues: { organisationId: '', staffId: linkedStaffId, from: '', to: '' },
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, () => undefined);
  const organisationId = form.watch('organisationId');
  const organisations = useQuery(AuditOrganisationsDocument, {});
  const members = useQuery(AuditStaffOfOrganisationDocument, { organisationId }, { skip: !organisationId });
  const [result, setResult] = useState<{ entries: AccessLogEntryFieldsFragment[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async (staffId: string, values: PeriodValues) => {
    setResult(null);
    const period = periodVariables(values);
    setResult(
      await allPages(
        async (beforeId) =>
          (await api.request(AccessLogForStaffDocument, { staffId, ...period, beforeId })).accessLogForStaff,
      ),
    );
  };
  // From a link: the staff member's whole log at once.
  useEffect(() => {
    if (!linkedStaffId) return;
    load(linkedStaffId, { from: '', to: '' }).catch((e: unknown) =>
      setError(e instanceof ApiError ? e : new ApiError('failed', String(e))),
    );
  }, [linkedStaffId]);

  const show = submit(async (values) => {
    setError(null);
    await load(values.staffId, values);
  });
  const exportCsv = () => {
    if (!result) return;
    const { header, rows } = csvRows(i18n, result.entries);
    downloadCsv(`personallogg-${fileDate()}.csv`, toCsv(header, rows));
  };

  return (
    <AuditLayout title={t('audit.staff.title')}>
      <form className="card" onSubmit={show} noValidate aria-label={t('audit.staff.title')}>
        {!linkedStaffId && (
          <div className="columns">
            <Field label={t('audit.staff.organisation')} error={errorOf('organisationId')}>
              <select {...form.register('organisationId', { required: 'required' })}>
                <option value="">{t('audit.staff.choose')}</option>
                {(organisations.data?.organisations.edges ?? []).map(({ node }) => (
                  <option key={node.id} value={node.id}>
                    {node.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('audit.staff.member')} error={errorOf('staffId')}>
              <select {...form.register('staffId', { required: 'required' })} disabled={!organisationId}>
                <option value="">{t('audit.staff.choose')}</option>
                {(members.data?.staffMembers.edges ?? []).map(({ node }) => (
                  <option key={node.id} value={node.id}>
                    {node.givenName} {node.familyName} ({label('Profession', node.profession)})
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
        <PeriodFields register={form.register as never} errorOf={(name) => errorOf(name)} />
        <FormProblem problem={problem} />
        <FormButtons busy={form.formState.isSubmitting} saveLabel={t('audit.show')} />
      </form>
      {error && <ErrorMessage error={error} />}
      {form.formState.isSubmitting && <Loading />}
      {result && (
        <>
          <p role="status">
            {result.entries.length ? t('audit.staff.count', { count: result.entries.length }) : t('audit.staff.none')}
          </p>
          {result.truncated && (
            <p className="notice notice-warning">{t('audit.truncated', { count: result.entries.length })}</p>
          )}
          <div className="actions">
            <button type="button" className="button secondary" onClick={exportCsv}>
              {t('audit.exportCsv')}
            </button>
          </div>
          {result.entries.length > 0 && <AccessLogTable entries={result.entries} showPerson />}
        </>
      )}
    </AuditLayout>
  );
}
