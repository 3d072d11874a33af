import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An ending no one decides (death, moving away, consent withdrawn) ends an episode without the group's
 * agreement, so each one is listed for review; the review is kept beside the episode (an ended episode
 * never changes) and is made once.
 */
export class EpisodeEndingReview1764835200001 implements MigrationInterface {
  name = 'EpisodeEndingReview1764835200001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE episode_ending_review (
        episode_id uuid PRIMARY KEY REFERENCES care_episode(id),
        reviewed_at timestamptz NOT NULL DEFAULT now(),
        reviewed_by uuid NOT NULL REFERENCES staff_member(id),
        note text CHECK (note IS NULL OR length(note) <= 2000)
      );
      CREATE INDEX care_episode_ended_idx ON care_episode (ended_at DESC) WHERE status = 'ENDED';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX care_episode_ended_idx; DROP TABLE episode_ending_review;`);
  }
}
