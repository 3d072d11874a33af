// Organisations, their units and their staff: create, deactivate, roles and whereabouts authorisation. The
// administrator picks any organisation (and creates new ones); an organisation administrator manages only
// their own, which is the only one offered here (the API refuses any other).
import { useRef, useState } from 'react';
import {
  AdminOrganisationsDocument,
  AdminStaffDocument,
  CreateOrganisationDocument,
  CreateStaffMemberDocument,
  CreateUnitDocument,
  SetStaffActiveDocument,
  SetStaffRolesDocument,
  type AdminOrganisationsQuery,
  type AdminStaffQuery,
  type OrganisationKind,
  type Principal,
  type Profession,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { AdminOnly } from './admin-home-page';

type Organisation = AdminOrganisationsQuery['organisations']['edges'][number]['node'];
type StaffRow = AdminStaffQuery['staffMembers']['edges'][number]['node'];

export const PROFESSIONS: Profession[] = [
  'SOCIAL_WORKER',
  'CASE_MANAGER',
  'NURSE',
  'PSYCHIATRIST',
  'PSYCHOLOGIST',
  'OCCUPATIONAL_THERAPIST',
  'SUBSTANCE_ABUSE_SPECIALIST',
  'PEER_SUPPORT_WORKER',
  'HOUSING_SUPPORT_WORKER',
  'OUTREACH_COORDINATOR',
  'OTHER',
];
const KINDS: OrganisationKind[] = [
  'DISTRICT_SOCIAL_SERVICES',
  'CITY_HOMELESSNESS_UNIT',
  'PSYCHIATRIC_CLINIC',
  'ADDICTION_CARE',
  'PRIMARY_CARE',
  'NGO',
  'HOUSING_PROVIDER',
  'OTHER',
];
const PRINCIPALS: Principal[] = ['MUNICIPALITY', 'REGION', 'OTHER'];

export function AdminStaffPage() {
  const { t } = useI18n();
  const { staff } = useSession();
  const organisations = useQuery(
    AdminOrganisationsDocument,
    {},
    { skip: !staff?.administrator && !staff?.organisationAdministrator },
  );
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <AdminOnly title={t('admin.staff.title')} organisationAdministrators>
      <QueryView state={organisations}>
        {(data) => {
          // An organisation administrator is offered their own organisation only.
          const all = data.organisations.edges
            .map((e) => e.node)
            .filter((o) => staff?.administrator || o.id === staff?.organisation.id);
          const organisation =
            all.find((o) => o.id === chosen) ?? all.find((o) => o.id === staff?.organisation.id) ?? all[0];
          return (
            <>
              {staff?.administrator && (
                <div className="row">
                  <Field label={t('admin.staff.organisation')}>
                    <select value={organisation?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
                      {all.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <div className="actions">
                    <DialogButton label={t('admin.staff.newOrganisation')}>
                      {(close) => (
                        <OrganisationForm
                          onDone={(id) => {
                            setChosen(id);
                            close();
                          }}
                          onCancel={close}
                        />
                      )}
                    </DialogButton>
                  </div>
                </div>
              )}
              {organisation && <OrganisationView key={organisation.id} organisation={organisation} />}
            </>
          );
        }}
      </QueryView>
    </AdminOnly>
  );
}

function OrganisationView({ organisation }: { organisation: Organisation }) {
  const { t, label } = useI18n();
  const { staff: me } = useSession();
  const staff = useQuery(AdminStaffDocument, { organisationId: organisation.id });
  return (
    <>
      <section className="card admin-block" aria-labelledby="units-heading">
        <h2 id="units-heading">
          {t('admin.staff.units', { organisation: organisation.name })}{' '}
          <span className="muted">({label('Principal', organisation.principal)})</span>
        </h2>
        {organisation.units.length === 0 ? (
          <p>{t('admin.staff.noUnits')}</p>
        ) : (
          <ul className="plain">
            {organisation.units.map((u) => (
              <li key={u.id}>{u.name}</li>
            ))}
          </ul>
        )}
        <DialogButton label={t('admin.staff.newUnit')}>
          {(close) => <UnitForm organisationId={organisation.id} onDone={close} />}
        </DialogButton>
      </section>
      <section className="admin-block" aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t('admin.staff.staffOf', { organisation: organisation.name })}</h2>
        <div className="actions">
          <DialogButton label={t('admin.staff.newStaff')} wide>
            {(close) => <StaffForm organisation={organisation} administrator={!!me?.administrator} onDone={close} />}
          </DialogButton>
        </div>
        <QueryView state={staff}>
          {(data) => {
            const people = data.staffMembers.edges.map((e) => e.node).filter((s) => !s.serviceAccount);
            return people.length === 0 ? (
              <p>{t('admin.staff.noStaff')}</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.staff.name')}</th>
                      <th scope="col">{t('admin.staff.profession')}</th>
                      <th scope="col">{t('admin.staff.unit')}</th>
                      <th scope="col">{t('admin.staff.roles')}</th>
                      <th scope="col">{t('admin.staff.status')}</th>
                      <th scope="col">{t('admin.staff.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {people.map((s) => (
                      <StaffRowView key={s.id} member={s} self={s.id === me?.id} administrator={!!me?.administrator} />
                    ))}
                  </tbody>
                </table>
              </div>
            );
          }}
        </QueryView>
      </section>
    </>
  );
}

function RoleTags({ member }: { member: StaffRow }) {
  const { t } = useI18n();
  const roles = [
    member.administrator && t('admin.roles.administrator'),
    member.organisationAdministrator && t('admin.roles.organisationAdministrator'),
    member.auditor && t('admin.roles.auditor'),
    member.whereaboutsAuthorised && t('admin.roles.whereaboutsAuthorised'),
  ].filter((r): r is string => !!r);
  return roles.length === 0 ? (
    <span className="muted">{t('common.none')}</span>
  ) : (
    <>
      {roles.map((r) => (
        <span key={r} className="tag">
          {r}
        </span>
      ))}
    </>
  );
}

function StaffRowView({ member, self, administrator }: { member: StaffRow; self: boolean; administrator: boolean }) {
  const { t, label } = useI18n();
  const setActive = useMutation(SetStaffActiveDocument);
  const name = `${member.givenName} ${member.familyName}`;
  return (
    <tr>
      <th scope="row">
        {name}
        {member.title && <div className="muted">{member.title}</div>}
      </th>
      <td>{label('Profession', member.profession)}</td>
      <td>{member.unit?.name ?? t('common.none')}</td>
      <td>
        <RoleTags member={member} />
      </td>
      <td>
        {member.active ? (
          <span className="tag plan-active">{t('admin.staff.active')}</span>
        ) : (
          <span className="tag tag-danger">{t('admin.staff.inactive')}</span>
        )}
      </td>
      <td>
        {/* Nobody changes their own roles or activation (the API refuses it too). */}
        {!self && (
          <div className="row-actions">
            <DialogButton
              label={t('admin.staff.changeRoles')}
              title={t('admin.staff.rolesOf', { name })}
              className="button secondary small"
            >
              {(close) => <RolesForm member={member} administrator={administrator} onDone={close} />}
            </DialogButton>
            <button
              type="button"
              className="button secondary small"
              disabled={setActive.busy}
              aria-label={
                member.active ? t('admin.staff.deactivateName', { name }) : t('admin.staff.activateName', { name })
              }
              onClick={() => void setActive.run({ input: { staffId: member.id, active: !member.active } })}
            >
              {member.active ? t('admin.staff.deactivate') : t('admin.staff.activate')}
            </button>
          </div>
        )}
        {setActive.error && <ErrorMessage error={setActive.error} />}
      </td>
    </tr>
  );
}

interface RolesValues {
  whereaboutsAuthorised: boolean;
  organisationAdministrator: boolean;
  auditor: boolean;
}

/** Authorising protected whereabouts: either administrator; auditor and organisation administrator: the administrator only. */
function RolesForm({
  member,
  administrator,
  onDone,
}: {
  member: StaffRow;
  administrator: boolean;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const setRoles = useMutation(SetStaffRolesDocument);
  const { form, problem, submit } = useApiForm<RolesValues>({
    defaultValues: {
      whereaboutsAuthorised: member.whereaboutsAuthorised,
      organisationAdministrator: member.organisationAdministrator,
      auditor: member.auditor,
    },
    onSaved: onDone,
  });
  const save = submit((v) =>
    setRoles.runOrThrow({
      input: {
        staffId: member.id,
        whereaboutsAuthorised: v.whereaboutsAuthorised,
        ...(administrator ? { organisationAdministrator: v.organisationAdministrator, auditor: v.auditor } : {}),
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <fieldset>
        <legend>{t('admin.staff.roles')}</legend>
        <label className="choice">
          <input type="checkbox" {...form.register('whereaboutsAuthorised')} /> {t('admin.roles.whereaboutsAuthorised')}
        </label>
        <p className="hint">{t('admin.roles.whereaboutsHint')}</p>
        {administrator && (
          <>
            <label className="choice">
              <input type="checkbox" {...form.register('organisationAdministrator')} />{' '}
              {t('admin.roles.organisationAdministrator')}
            </label>
            <label className="choice">
              <input type="checkbox" {...form.register('auditor')} /> {t('admin.roles.auditor')}
            </label>
          </>
        )}
      </fieldset>
      <p className="hint">{t('admin.staff.nextRequest')}</p>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}

interface StaffValues {
  givenName: string;
  familyName: string;
  profession: Profession;
  title: string;
  unitId: string;
  email: string;
  phone: string;
  externalSubject: string;
  administrator: boolean;
}

function StaffForm({
  organisation,
  administrator,
  onDone,
}: {
  organisation: Organisation;
  administrator: boolean;
  onDone: () => void;
}) {
  const { t, label } = useI18n();
  const create = useMutation(CreateStaffMemberDocument);
  const { form, problem, submit, errorOf } = useApiForm<StaffValues>({
    defaultValues: {
      givenName: '',
      familyName: '',
      profession: 'SOCIAL_WORKER',
      title: '',
      unitId: '',
      email: '',
      phone: '',
      externalSubject: '',
      administrator: false,
    },
    onSaved: onDone,
  });
  const optional = (v: string) => v.trim() || null;
  const save = submit((v) =>
    create.runOrThrow({
      input: {
        organisationId: organisation.id,
        givenName: v.givenName.trim(),
        familyName: v.familyName.trim(),
        profession: v.profession,
        title: optional(v.title),
        unitId: v.unitId || null,
        email: optional(v.email),
        phone: optional(v.phone),
        externalSubject: optional(v.externalSubject),
        administrator: administrator && v.administrator,
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <p>{t('admin.staff.newStaffIn', { organisation: organisation.name })}</p>
      <div className="row">
        <Field label={t('admin.staff.givenName')} error={errorOf('givenName')}>
          <input autoComplete="off" {...form.register('givenName', { required: 'required' })} />
        </Field>
        <Field label={t('admin.staff.familyName')} error={errorOf('familyName')}>
          <input autoComplete="off" {...form.register('familyName', { required: 'required' })} />
        </Field>
      </div>
      <div className="row">
        <Field label={t('admin.staff.profession')} error={errorOf('profession')}>
          <select {...form.register('profession')}>
            {PROFESSIONS.map((p) => (
              <option key={p} value={p}>
                {label('Profession', p)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('admin.staff.jobTitle')} error={errorOf('title')}>
          <input autoComplete="off" {...form.register('title')} />
        </Field>
        <Field label={t('admin.staff.unit')} error={errorOf('unitId')}>
          <select {...form.register('unitId')}>
            <option value="">{t('admin.staff.noUnit')}</option>
            {organisation.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="row">
        <Field label={t('admin.staff.email')} error={errorOf('email')}>
          <input type="email" autoComplete="off" {...form.register('email')} />
        </Field>
        <Field label={t('admin.staff.phone')} error={errorOf('phone')}>
          <input type="tel" autoComplete="off" {...form.register('phone')} />
        </Field>
      </div>
      <Field
        label={t('admin.staff.externalSubject')}
        hint={t('admin.staff.externalSubjectHint')}
        error={errorOf('externalSubject')}
      >
        <input autoComplete="off" {...form.register('externalSubject')} />
      </Field>
      {administrator && (
        <label className="choice">
          <input type="checkbox" {...form.register('administrator')} /> {t('admin.roles.administrator')}
        </label>
      )}
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.staff.create')} onCancel={onDone} />
    </form>
  );
}

function UnitForm({ organisationId, onDone }: { organisationId: string; onDone: () => void }) {
  const { t } = useI18n();
  const create = useMutation(CreateUnitDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ name: string }>({
    defaultValues: { name: '' },
    onSaved: onDone,
  });
  const save = submit((v) => create.runOrThrow({ input: { organisationId, name: v.name.trim() } }));
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('admin.staff.unitName')} error={errorOf('name')}>
        <input autoComplete="off" {...form.register('name', { required: 'required' })} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.staff.create')} onCancel={onDone} />
    </form>
  );
}

function OrganisationForm({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t, label } = useI18n();
  const create = useMutation(CreateOrganisationDocument);
  const created = useRef<string | null>(null);
  const { form, problem, submit, errorOf } = useApiForm<{ name: string; kind: OrganisationKind; principal: Principal }>(
    {
      defaultValues: { name: '', kind: 'DISTRICT_SOCIAL_SERVICES', principal: 'MUNICIPALITY' },
      onSaved: () => created.current && onDone(created.current),
    },
  );
  const save = submit(async (v) => {
    created.current = (
      await create.runOrThrow({ input: { name: v.name.trim(), kind: v.kind, principal: v.principal } })
    ).createOrganisation.id;
  });
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('admin.staff.organisationName')} error={errorOf('name')}>
        <input autoComplete="off" {...form.register('name', { required: 'required' })} />
      </Field>
      <div className="row">
        <Field label={t('admin.staff.kind')} error={errorOf('kind')}>
          <select {...form.register('kind')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {label('OrganisationKind', k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('admin.staff.principal')} error={errorOf('principal')}>
          <select {...form.register('principal')}>
            {PRINCIPALS.map((p) => (
              <option key={p} value={p}>
                {label('Principal', p)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.staff.create')} onCancel={onCancel} />
    </form>
  );
}
