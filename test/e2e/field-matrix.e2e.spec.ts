import { randomBytes } from 'node:crypto';
import { OrganisationKind, Principal, ProtectedIdentity } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The authorization matrix (authorization-matrix.e2e.spec.ts) covers every root operation; this covers every
 * field reachable from a person. The schema is walked by introspection from the operations that answer about
 * one person, so a new field or type is queried without anyone adding it here. For a person with a protected
 * identity and a consent that withholds the plan, the timeline, housing and family from one organisation, a
 * member of that organisation must find none of the secrets planted in the person's data anywhere in the
 * answers; a member of another organisation, authorised for whereabouts, must find every one of them (so
 * that the walk is shown to reach each, and the check can fail).
 */

type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };
type Arg = { name: string; type: TypeRef; defaultValue: string | null };
type FieldInfo = { name: string; args: Arg[]; type: TypeRef };
type TypeInfo = { kind: string; name: string; fields: FieldInfo[] | null };

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECTION = `{ __schema { types { kind name fields { name type { ${TYPE_REF} } args { name defaultValue type { ${TYPE_REF} } } } } } }`;

/** The directory: no person's data of its own; shown by its scalar fields only, so a walk never runs through it. */
const DIRECTORY = new Set(['StaffMember', 'Organisation', 'Unit']);
/** Values for the required arguments the walk meets, by argument name. */
const REQUIRED_ARGUMENTS: Record<string, string> = { from: '"2026-11-01T00:00:00Z"', to: '"2026-11-08T00:00:00Z"' };

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);

/** A field as the walk selects it: a leaf, or an object with its own fields. */
type Selection = { head: string; children: Selection[] | null };
const render = (n: Selection): string => (n.children ? `${n.head} { ${n.children.map(render).join(' ')} }` : n.head);

describe('field matrix: every field reachable from a person keeps consent limitations and protected whereabouts', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function call<T = any>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await api.gql<T>(query, variables, token);
    if (r.errors) throw new Error(`setup: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  it('the withheld organisation sees none of the secrets through any field; another organisation sees each', async () => {
    const secret = (what: string) => `${what} ${randomBytes(4).toString('hex')}`;
    const s = await f.careSetting({ consent: false });
    const addiction = await f.org(Principal.REGION, OrganisationKind.ADDICTION_CARE);
    const nurse = await f.staff(addiction, 'NURSE' as never);
    await f.collaboration.addMember(s.person.id, {
      staffId: nurse.staff.id,
      role: 'addiction nurse',
      votingRepresentative: true,
    });
    await db.dataSource.query(`UPDATE staff_member SET whereabouts_authorised = true WHERE id = $1`, [nurse.staff.id]);
    const shelter = await f.org(Principal.OTHER, OrganisationKind.HOUSING_PROVIDER, secret('Skyddsboendet'));
    const social = await api.login(s.socialWorker.username, s.socialWorker.password);
    await call(social, `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        purpose: 'SHARING',
        scope: 'WHOLE_GROUP',
        givenHow: 'WRITTEN',
        limitations: ['SIP_PLAN', 'TIMELINE', 'HOUSING', 'FAMILY'].map((category) => ({
          organisationId: s.psychiatry.id,
          category,
        })),
      },
    });
    await f.persons.setProtectedIdentity(
      s.socialWorker.actor,
      s.person.id,
      ProtectedIdentity.SKYDDAD_FOLKBOKFORING,
      'Skatteverket decision, for the test',
    );

    // The secrets, each planted where one field (or more) carries it.
    const w = {
      goals: secret('Goals'),
      need: secret('Need'),
      intervention: secret('Intervention'),
      measure: secret('Measure'),
      followUp: '2031-07-19',
      summary: secret('Summary'),
      contactPlace: secret('Contact place'),
      address: secret('Address'),
      housingNote: secret('Housing note'),
      shelter: shelter.name,
      relative: secret('Relative'),
      relativeNeeds: secret('Relative needs'),
      meetingPlace: secret('Meeting place'),
      minutes: secret('Minutes'),
      violenceNote: secret('Violence note'),
      relativesNote: secret('Relatives note'),
      title: secret('Title'),
      rationale: secret('Rationale'),
      comment: secret('Comment'),
      planId: '',
    };
    const plan = (
      await call(social, `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          content: {
            personGoals: w.goals,
            followUpOn: w.followUp,
            needs: [{ area: 'HOUSING', description: w.need }],
            interventions: [
              {
                description: w.intervention,
                responsiblePrincipal: 'MUNICIPALITY',
                responsibleOrganisationId: s.municipality.id,
              },
            ],
            otherMeasures: [{ actorName: 'Stadsmissionen', description: w.measure }],
          },
        },
      })
    ).createSipPlan;
    w.planId = plan.id;
    await call(social, `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        occurredAt: new Date().toISOString(),
        kind: 'HOME_VISIT',
        location: w.contactPlace,
        summary: w.summary,
      },
    });
    await call(social, `mutation($i: RecordMoveInput!) { recordMove(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        kind: 'EMERGENCY_SHELTER',
        startedOn: '2026-06-01',
        address: w.address,
        note: w.housingNote,
        providerOrganisationId: shelter.id,
      },
    });
    await call(social, `mutation($p: ID!, $i: AddRelativeInput!) { addRelative(personId: $p, input: $i) { id } }`, {
      p: s.person.id,
      i: { name: w.relative, relation: 'sister', supportNeeds: w.relativeNeeds },
    });
    const meeting = (
      await call(social, `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          startsAt: new Date(Date.now() + 86_400_000).toISOString(),
          location: w.meetingPlace,
          participantStaffIds: [s.socialWorker.staff.id],
          invitePerson: false,
        },
      })
    ).planSipMeeting;
    await call(
      social,
      `mutation($id: ID!, $i: RecordSipMeetingHeldInput!) { recordSipMeetingHeld(id: $id, input: $i) { id } }`,
      {
        id: meeting.id,
        i: { minutes: w.minutes, attendedStaffIds: [], personAttended: true },
      },
    );
    await call(social, `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'VIOLENCE_ASSESSED', doneOn: '2026-11-02', note: w.violenceNote },
    });
    await call(social, `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'RELATIVES_IDENTIFIED', doneOn: '2026-11-03', note: w.relativesNote },
    });
    const proposal = (
      await call(social, `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
        i: {
          personId: s.person.id,
          type: 'OTHER',
          title: w.title,
          rationale: w.rationale,
          deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        },
      })
    ).openProposal;
    const nurseToken = await api.login(nurse.username, nurse.password);
    await call(nurseToken, `mutation($i: CastVoteInput!) { castVote(input: $i) { id } }`, {
      i: { proposalId: proposal.id, choice: 'DISAGREE', comment: w.comment },
    });
    // A follow-up reminder as the worker derives it: its subject is the plan, its moment the follow-up.
    await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at) VALUES ('FOLLOW_UP_TOMORROW.' || $2 || '.t', 'FOLLOW_UP_TOMORROW', $1::uuid, $2::uuid, '2031-07-18T06:00:00Z')`,
      [s.person.id, plan.id],
    );

    // The walk: one query per field of each root type, each field's subtree in full (split where too costly).
    const types = new Map(
      ((await api.gql<any>(INTROSPECTION)).data.__schema.types as TypeInfo[]).map((t) => [t.name, t]),
    );
    const covered = new Set<string>();
    const skipped: string[] = [];
    const walk = (typeName: string, fields: FieldInfo[], path: string[]): Selection[] => {
      const out: Selection[] = [];
      for (const field of fields) {
        const target = named(field.type);
        const required = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
        if (required.some((a) => !REQUIRED_ARGUMENTS[a.name])) {
          skipped.push(`${typeName}.${field.name}`);
          continue;
        }
        const head = `${field.name}${required.length ? `(${required.map((a) => `${a.name}: ${REQUIRED_ARGUMENTS[a.name]}`).join(', ')})` : ''}`;
        if (target.kind === 'SCALAR' || target.kind === 'ENUM') out.push({ head, children: null });
        else if (DIRECTORY.has(typeName))
          continue; // the directory's own relations are no person's data
        // Back to a type already on the path: its fields are walked there.
        else if (path.includes(target.name!)) out.push({ head, children: [{ head: '__typename', children: null }] });
        else
          out.push({
            head,
            children: walk(target.name!, types.get(target.name!)!.fields ?? [], [...path, target.name!]),
          });
        covered.add(`${typeName}.${field.name}`);
      }
      return out;
    };
    const roots = [
      { field: 'person', args: '(id: $person)', variable: '($person: ID!)', type: 'Person' },
      { field: 'patientOverview', args: '(personId: $person)', variable: '($person: ID!)', type: 'PatientOverview' },
      { field: 'personAccess', args: '(personId: $person)', variable: '($person: ID!)', type: 'PersonAccess' },
      { field: 'proposal', args: '(id: $proposal)', variable: '($proposal: ID!)', type: 'Proposal' },
      { field: 'sipPlan', args: '(id: $plan)', variable: '($plan: ID!)', type: 'SipPlan' },
      { field: 'caseload', args: '(first: 20)', variable: '', type: 'CaseloadConnection' },
    ];
    // A person is walked from `person`; from elsewhere the way back to it ends there.
    const trees = roots.map((root) => ({
      root,
      tree: walk(
        root.type,
        types.get(root.type)!.fields ?? [],
        root.type === 'Person' ? ['Person'] : [root.type, 'Person'],
      ),
    }));

    // Every field of every type the walk reached is queried, apart from the directory's relations.
    const reached = new Set([...covered].map((c) => c.split('.')[0]));
    const reachable = [...types.values()].filter(
      (t) => t.kind === 'OBJECT' && reached.has(t.name) && !DIRECTORY.has(t.name),
    );
    expect(
      reachable
        .flatMap((t) => (t.fields ?? []).map((field) => `${t.name}.${field.name}`))
        .filter((key) => !covered.has(key)),
    ).toEqual([]);
    expect(skipped).toEqual([]);
    for (const t of [
      'Person',
      'SipPlan',
      'SipPlanVersion',
      'SipPlanContent',
      'PlanIntervention',
      'Proposal',
      'Elector',
      'VoteRecord',
      'SipMeeting',
      'CaseCheck',
      'ContactEntry',
      'HousingPlacement',
      'Reminder',
      'Relative',
      'Child',
      'CaseloadEntry',
    ]) {
      expect(`${t}: ${reached.has(t)}`).toBe(`${t}: true`);
    }

    const variables = { person: s.person.id, proposal: proposal.id, plan: plan.id };
    /** Runs a selection under `wrap`; one the cost limit refuses is asked for in parts, one field at a time. */
    const ask = async (
      token: string,
      rootField: string,
      wrap: (selection: string) => string,
      node: Selection,
      texts: string[],
      allowNotFound: boolean,
    ): Promise<void> => {
      const r = await api.gql(wrap(render(node)), variables, token);
      const codes = (r.errors ?? []).map((e) => e.extensions?.code);
      if (codes.includes('QUERY_TOO_COSTLY') && node.children) {
        if (node.children.length > 1)
          for (const child of node.children)
            await ask(token, rootField, wrap, { head: node.head, children: [child] }, texts, allowNotFound);
        else
          await ask(
            token,
            rootField,
            (selection) => wrap(`${node.head} { ${selection} }`),
            node.children[0],
            texts,
            allowNotFound,
          );
        return;
      }
      if (codes.length && !(allowNotFound && codes.every((c) => c === 'NOT_FOUND')))
        throw new Error(`${rootField} ${render(node).slice(0, 200)}: ${JSON.stringify(r.errors)}`);
      texts.push(JSON.stringify(r));
    };
    const answersOf = async (token: string, allowNotFound: string[]) => {
      const texts: string[] = [];
      for (const { root, tree } of trees) {
        for (const node of tree) {
          await ask(
            token,
            root.field,
            (selection) => `query${root.variable} { ${root.field}${root.args} { ${selection} } }`,
            node,
            texts,
            allowNotFound.includes(root.field),
          );
        }
      }
      return texts.join('\n');
    };

    const withheldFrom = await answersOf(await api.login(s.psychiatrist.username, s.psychiatrist.password), [
      'sipPlan',
    ]);
    const shownTo = await answersOf(nurseToken, []);
    const secrets = Object.entries(w);
    expect(secrets.filter(([, value]) => !shownTo.includes(value)).map(([name]) => name)).toEqual([]);
    expect(secrets.filter(([, value]) => withheldFrom.includes(value)).map(([name]) => name)).toEqual([]);
  });
});
