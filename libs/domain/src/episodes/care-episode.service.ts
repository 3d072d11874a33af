import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../actor';
import { entityColumns } from '../database/entity-sql';
import { DomainError } from '../errors/domain-error';
import { Principal } from '../organisation/organisation.enums';
import { today } from '../time';
import { CareEpisode } from './care-episode.entity';
import { EndingReason, EpisodeKind, EpisodeStatus } from './episode.enums';
import { sql } from '../database/sql';

/** The care episodes of the persons $1, latest first (also part of the overview's one statement, OVERVIEW_BUNDLE_SQL). */
export const EPISODES_OF_PERSONS_SQL = `SELECT ${entityColumns(CareEpisode, 'e')} FROM care_episode e WHERE e.person_id = ANY($1::uuid[]) ORDER BY e.started_on DESC, e.id`;

/** Which kind of involvement each principal can hold. */
const KINDS_OF: Record<Principal, EpisodeKind[]> = {
  [Principal.MUNICIPALITY]: [EpisodeKind.SOCIAL_SERVICES],
  [Principal.REGION]: [EpisodeKind.PSYCHIATRY, EpisodeKind.ADDICTION_CARE, EpisodeKind.PRIMARY_CARE],
  [Principal.OTHER]: [],
};

/** Whether an organisation of the principal can hold a care episode at all. */
export const holdsCareEpisodes = (principal: Principal): boolean => KINDS_OF[principal].length > 0;

/** An ending recorded without the group's decision, as a reviewer sees it. */
export interface EpisodeEnding {
  episodeId: string;
  personId: string;
  organisationId: string;
  kind: EpisodeKind;
  reason: EndingReason;
  evidence: string;
  endedAt: Date;
  endedBy: string;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

const ENDINGS_SQL = `
  SELECT e.id AS "episodeId", e.person_id AS "personId", e.organisation_id AS "organisationId", e.kind, e.ending_reason AS reason,
         e.ending_evidence AS evidence, e.ended_at AS "endedAt", e.ended_by AS "endedBy",
         r.reviewed_at AS "reviewedAt", r.reviewed_by AS "reviewedBy", r.note AS "reviewNote"
    FROM care_episode e LEFT JOIN episode_ending_review r ON r.episode_id = e.id
   WHERE e.status = '${EpisodeStatus.ENDED}'`;

@Injectable()
export class CareEpisodeService {
  constructor(private readonly db: DataSource) {}

  /** Records that the actor's organisation is involved with the person. */
  async open(actor: Actor, personId: string, input: { kind: EpisodeKind; startedOn?: string }): Promise<CareEpisode> {
    if (!KINDS_OF[actor.principal].includes(input.kind)) {
      throw DomainError.invalid(
        'kind',
        `An organisation of the ${actor.principal.toLowerCase()} cannot hold a ${input.kind} episode`,
      );
    }
    const repo = this.db.getRepository(CareEpisode);
    if (await repo.existsBy({ personId, organisationId: actor.organisationId, status: EpisodeStatus.ACTIVE })) {
      throw DomainError.conflict('Your organisation already has an active episode with this person');
    }
    return repo.save(
      repo.create({
        personId,
        organisationId: actor.organisationId,
        principal: actor.principal,
        kind: input.kind,
        status: EpisodeStatus.ACTIVE,
        startedOn: input.startedOn ?? today(),
      }),
    );
  }

  /** Endings recorded without the group's decision, newest first, for review (unreviewed only by default). */
  async endingsToReview(options: { first: number; unreviewedOnly: boolean }): Promise<EpisodeEnding[]> {
    return sql<EpisodeEnding>(
      this.db,
      `${ENDINGS_SQL} AND (NOT $2 OR r.episode_id IS NULL) ORDER BY e.ended_at DESC, e.id LIMIT $1`,
      [options.first, options.unreviewedOnly],
    );
  }

  /** Marks an ending as reviewed, once. */
  async reviewEnding(actor: Actor, episodeId: string, note: string | null): Promise<EpisodeEnding> {
    const rows: unknown[] = await sql<{ episode_id: string }>(
      this.db,
      `INSERT INTO episode_ending_review (episode_id, reviewed_by, note)
       SELECT id, $2, $3 FROM care_episode WHERE id = $1 AND status = '${EpisodeStatus.ENDED}'
       ON CONFLICT (episode_id) DO NOTHING RETURNING episode_id`,
      [episodeId, actor.staffId, note?.trim() || null],
    );
    const [ending] = await sql<EpisodeEnding>(this.db, `${ENDINGS_SQL} AND e.id = $1`, [episodeId]);
    if (!ending) throw DomainError.notFound('ended care episode');
    if (rows.length === 0) throw DomainError.invalidState('The ending is already reviewed');
    return ending;
  }

  async get(id: string): Promise<CareEpisode> {
    const episode = await this.db.getRepository(CareEpisode).findOneBy({ id });
    if (!episode) throw DomainError.notFound('care episode');
    return episode;
  }

  byPersonIds(personIds: readonly string[]): Promise<CareEpisode[]> {
    return sql<CareEpisode>(this.db, EPISODES_OF_PERSONS_SQL, [personIds]);
  }
}
