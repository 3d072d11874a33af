// Shared pieces of the auditor's pages: the frame that keeps care staff out, the period fields, the table of
// access-log entries, and the entries' codes in words.
import type { ReactNode } from 'react';
import type { UseFormRegister } from 'react-hook-form';
import type { AccessLogEntryFieldsFragment } from '../api/generated';
import { useI18n, type I18n, type MessageKey } from '../i18n/i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { Field } from './field';
import { Layout } from './layout';

/** An auditor's page: anyone else is told it is not for them (the API would refuse them anyway). */
export function AuditLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  const { staff } = useSession();
  return (
    <Layout title={title}>
      {staff?.auditor ? children : <p className="notice notice-warning">{t('audit.onlyAuditors')}</p>}
    </Layout>
  );
}

export interface PeriodValues {
  from: string;
  to: string;
}

/** The period as the API takes it: from the start of the first day to the end of the last (local time). */
export function periodVariables(values: PeriodValues): { from: string | null; to: string | null } {
  const start = (day: string) => new Date(`${day}T00:00:00`);
  let to: string | null = null;
  if (values.to) {
    const end = start(values.to);
    end.setDate(end.getDate() + 1);
    to = end.toISOString();
  }
  return { from: values.from ? start(values.from).toISOString() : null, to };
}

export function PeriodFields({
  register,
  errorOf,
}: {
  register: UseFormRegister<PeriodValues>;
  errorOf: (name: 'from' | 'to') => string | undefined;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="group">
      <legend>{t('audit.period')}</legend>
      <p className="hint">{t('audit.periodHint')}</p>
      <div className="columns">
        <Field label={t('audit.from')} error={errorOf('from')}>
          <input type="date" {...register('from')} />
        </Field>
        <Field label={t('audit.to')} error={errorOf('to')}>
          <input type="date" {...register('to')} />
        </Field>
      </div>
    </fieldset>
  );
}

/** What was read or written, in words; a field the client has no words for is named as the API names it. */
/** A text of a group by a code the API sends; null when the client has no words for that code. */
export function codeText(
  i18n: I18n,
  group: 'entities' | 'groundLabels' | 'actions' | 'actionLabels' | 'grounds',
  code: string,
): string | null {
  if (!/^[A-Za-z_]+$/.test(code)) return null;
  const key = `audit.${group}.${code}` as MessageKey;
  const text = i18n.t(key);
  return text === key ? null : text;
}

export function entityText(i18n: I18n, entity: string): string {
  return codeText(i18n, 'entities', entity) ?? i18n.t('audit.otherEntity');
}

export function groundText(i18n: I18n, ground: string): string {
  return codeText(i18n, 'groundLabels', ground) ?? ground;
}

export function roleText(i18n: I18n, role: string): string {
  return role === 'AUDITOR' ? i18n.t('audit.roleAuditor') : i18n.label('Profession', role);
}

/** The entries as a table for the auditor: who, where, what, when, on what ground; links to the person's and the staff member's logs. */
export function AccessLogTable({
  entries,
  showPerson,
  review,
}: {
  entries: AccessLogEntryFieldsFragment[];
  showPerson?: boolean;
  review?: (entry: AccessLogEntryFieldsFragment) => ReactNode;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  return (
    <div className="table-wrap">
      <table className="access-log">
        <caption className="visually-hidden">{t('audit.table.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.table.when')}</th>
            <th scope="col">{t('audit.table.who')}</th>
            <th scope="col">{t('audit.table.organisation')}</th>
            <th scope="col">{t('audit.table.what')}</th>
            <th scope="col">{t('audit.table.ground')}</th>
            <th scope="col">{t('audit.table.from')}</th>
            {showPerson && <th scope="col">{t('audit.table.person')}</th>}
            {review && <th scope="col">{t('audit.table.review')}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-entry={e.id}>
              <th scope="row">{dateTime(e.occurredAt)}</th>
              <td>
                <Link to={`/audit/staff?staffId=${e.staffId}`}>{e.staffName}</Link>
                <br />
                <span className="muted">{roleText(i18n, e.role)}</span>
              </td>
              <td>{e.organisationName}</td>
              <td>
                {entityText(i18n, e.entity)}
                <br />
                <span className="muted">{actionText(i18n, e.action)}</span>
              </td>
              <td>{groundText(i18n, e.ground)}</td>
              <td>{e.clientAddress ?? t('common.none')}</td>
              {showPerson && (
                <td>
                  <Link to={`/audit/person?personId=${e.personId}`}>{t('audit.table.personLog')}</Link>
                </td>
              )}
              {review && <td>{review(e)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function actionText(i18n: I18n, action: string): string {
  return codeText(i18n, 'actionLabels', action) ?? action;
}

/** The entries as CSV rows (the columns of the table, plus the codes as the API gives them, for further analysis). */
export function csvRows(i18n: I18n, entries: AccessLogEntryFieldsFragment[]): { header: string[]; rows: string[][] } {
  const { t } = i18n;
  return {
    header: [
      t('audit.table.when'),
      t('audit.table.who'),
      t('audit.table.role'),
      t('audit.table.organisation'),
      t('audit.table.entity'),
      t('audit.table.what'),
      t('audit.table.ground'),
      t('audit.table.from'),
      'id',
      'staffId',
      'personId',
      'action',
      'entity',
      'ground',
    ],
    rows: entries.map((e) => [
      e.occurredAt,
      e.staffName,
      roleText(i18n, e.role),
      e.organisationName,
      entityText(i18n, e.entity),
      actionText(i18n, e.action),
      groundText(i18n, e.ground),
      e.clientAddress ?? '',
      e.id,
      e.staffId,
      e.personId,
      e.action,
      e.entity,
      e.ground,
    ]),
  };
}
