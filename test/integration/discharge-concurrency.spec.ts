import { INestApplicationContext } from '@nestjs/common';
import {
  CareEpisodeService,
  DischargeService,
  OrganisationKind,
  Principal,
  Profession,
  ProposalService,
} from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { auditDischarges, runScenario, ScenarioOutcome } from '../support/interleavings';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const SCENARIOS = Number(process.env.INTERLEAVINGS ?? 200);
const CONCURRENT = 8;
const BASE_SEED = Number(process.env.INTERLEAVINGS_SEED ?? 20261123);

/**
 * The rule under fire: hundreds of randomised interleavings of votes, vote changes, membership
 * changes, deadlines, deaths and duplicate discharge requests, against the real PostgreSQL, the
 * real BullMQ queue and the real worker. No episode may be discharged without a valid approval,
 * and every request must end exactly once.
 */
describe(`discharge under concurrency (${SCENARIOS} interleavings)`, () => {
  let db: TestDatabase;
  let worker: INestApplicationContext;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase({ DATABASE_POOL_SIZE: '20' });
    // The worker's module holds the same domain services the API uses; requests go through its queue.
    worker = await startWorker(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await worker?.close();
    await db?.drop();
  });

  it('never discharges without agreement, and ends every request exactly once', async () => {
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const psychiatry = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const setting = {
      municipalityVoter: await f.staff(municipality, Profession.SOCIAL_WORKER),
      regionVoter: await f.staff(psychiatry, Profession.PSYCHIATRIST),
      regionVoter2: await f.staff(psychiatry, Profession.NURSE),
      spare: [
        await f.staff(municipality, Profession.PEER_SUPPORT_WORKER),
        await f.staff(psychiatry, Profession.PSYCHOLOGIST),
      ],
    };

    const outcomes: ScenarioOutcome[] = [];
    for (let start = 0; start < SCENARIOS; start += CONCURRENT) {
      const batch = Array.from({ length: Math.min(CONCURRENT, SCENARIOS - start) }, (_, i) =>
        runScenario(worker, f, BASE_SEED + start + i, setting),
      );
      outcomes.push(...(await Promise.all(batch)));
    }

    // Let the worker decide every request (and close proposals with short deadlines).
    const discharges = worker.get(DischargeService);
    await eventually(
      async () => {
        const pending = await db.dataSource.query(
          `SELECT count(*)::int AS n FROM discharge_request WHERE status = 'PENDING'`,
        );
        return pending[0].n === 0;
      },
      60_000,
      100,
    );
    expect(await discharges.staleRequestIds()).toEqual([]);

    const audit = await auditDischarges(
      db.dataSource,
      outcomes.map((o) => o.episodeId),
    );
    const unexpected = outcomes.flatMap((o) => o.unexpectedErrors.map((e) => `seed ${o.seed}: ${e}`));
    const requests = outcomes.reduce((n, o) => n + o.requestIds.length, 0);
    const decided = await db.dataSource.query(
      `SELECT status, count(*)::int AS n FROM discharge_request GROUP BY status ORDER BY status`,
    );
    console.log(
      `interleavings=${SCENARIOS} episodes=${audit.episodes} discharged=${audit.discharged} requests=${requests} ${JSON.stringify(decided)} violations=${audit.violations.length}`,
    );

    expect(unexpected).toEqual([]);
    expect(audit.episodes).toBe(SCENARIOS);
    expect(audit.violations).toEqual([]);
    expect(audit.requestProblems).toEqual([]);
    // The run must exercise both outcomes, or it proves little.
    expect(audit.discharged).toBeGreaterThan(SCENARIOS / 10);
    expect(audit.discharged).toBeLessThan(SCENARIOS);
  }, 240_000);

  it('the audit itself catches a discharge made without agreement (so it can fail)', async () => {
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const psychiatry = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const m = await f.staff(municipality, Profession.SOCIAL_WORKER);
    const r = await f.staff(psychiatry, Profession.PSYCHIATRIST);
    const person = await f.person(m);
    await f.collaboration.addMember(person.id, {
      staffId: r.staff.id,
      role: 'psychiatrist',
      votingRepresentative: true,
    });
    const episode = await worker.get(CareEpisodeService).open(r.actor, person.id, { kind: 'PSYCHIATRY' as never });
    const open = await worker.get(ProposalService).open(r.actor, {
      personId: person.id,
      type: 'DISCHARGE' as never,
      title: 't',
      rationale: 'r',
      deadline: new Date(Date.now() + 3_600_000),
      episodeId: episode.id,
    });
    // Forge what the guards forbid: with the triggers off, approve without votes and discharge.
    await db.ownerQuery(`ALTER TABLE proposal DISABLE TRIGGER proposal_guard`);
    await db.ownerQuery(`ALTER TABLE care_episode DISABLE TRIGGER care_episode_guard`);
    try {
      await db.dataSource.query(
        `UPDATE proposal SET status = 'APPROVED', close_reason = 'ALL_AGREED', closed_at = now(), approval_valid_until = now() + interval '1 day', used_at = now() WHERE id = $1`,
        [open.id],
      );
      await db.dataSource.query(
        `UPDATE care_episode SET status = 'DISCHARGED', ended_at = now(), discharge_decision_id = $2 WHERE id = $1`,
        [episode.id, open.id],
      );
    } finally {
      await db.ownerQuery(`ALTER TABLE proposal ENABLE TRIGGER proposal_guard`);
      await db.ownerQuery(`ALTER TABLE care_episode ENABLE TRIGGER care_episode_guard`);
    }
    const audit = await auditDischarges(db.dataSource, [episode.id]);
    expect(audit.violations).toHaveLength(1);
    expect(audit.violations[0]).toMatch(/had not agreed \(no vote\)/);
  });
});
