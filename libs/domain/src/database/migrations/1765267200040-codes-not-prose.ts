import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a proposal closed, why a discharge request was refused and what a notification says are stored as
 * codes with parameters, no longer as English sentences: each client words them in its language.
 * Expand (new columns), backfill (codes for the rows written as sentences, read back from the sentences
 * the code wrote and the rows they were about) and contract (the sentences go; checks hold the codes).
 * A withdrawn proposal keeps the withdrawer's own words, now in a column of their own.
 */
export class CodesNotProse1765267200040 implements MigrationInterface {
  name = 'CodesNotProse1765267200040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Proposals. Closed proposals never change (proposal_guard): the backfill alone may.
      ALTER TABLE proposal ADD COLUMN withdrawal_reason text, ADD COLUMN close_ending_reason text
        CHECK (close_ending_reason IN ('DIED','MOVED_OUT_OF_AREA','CONSENT_WITHDRAWN'));
      ALTER TABLE proposal DISABLE TRIGGER proposal_guard;
      UPDATE proposal SET withdrawal_reason = close_reason WHERE status = 'WITHDRAWN';
      UPDATE proposal p SET close_ending_reason = coalesce(e.ending_reason, CASE
               WHEN p.close_reason LIKE '%has died%' THEN 'DIED'
               WHEN p.close_reason LIKE '%moved out of the area%' THEN 'MOVED_OUT_OF_AREA'
               WHEN p.close_reason LIKE '%withdrawn consent%' THEN 'CONSENT_WITHDRAWN' END)
        FROM care_episode e
       WHERE p.status = 'VOIDED' AND p.close_reason LIKE 'The episode ended:%' AND e.id = p.episode_id;
      UPDATE proposal SET close_reason = CASE status
          WHEN 'APPROVED' THEN 'ALL_AGREED'
          WHEN 'REJECTED' THEN 'DISAGREED_AT_DEADLINE'
          WHEN 'EXPIRED' THEN 'NOT_ALL_VOTED'
          WHEN 'WITHDRAWN' THEN 'WITHDRAWN'
          WHEN 'VOIDED' THEN CASE WHEN close_reason LIKE 'The episode ended:%' THEN 'EPISODE_ENDED' ELSE 'MEMBERSHIP_CHANGED' END
        END;
      ALTER TABLE proposal ENABLE TRIGGER proposal_guard;
      ALTER TABLE proposal DROP CONSTRAINT proposal_withdrawal_reason_check;
      ALTER TABLE proposal ADD CONSTRAINT proposal_withdrawal_reason_check CHECK ((status = 'WITHDRAWN') = (withdrawal_reason IS NOT NULL) AND length(withdrawal_reason) BETWEEN 1 AND 2000);
      ALTER TABLE proposal ADD CONSTRAINT proposal_close_reason_check CHECK (
        (status = 'OPEN') = (close_reason IS NULL)
        AND close_reason IN ('ALL_AGREED','DISAGREED_AT_DEADLINE','NOT_ALL_VOTED','MEMBERSHIP_CHANGED','EPISODE_ENDED','WITHDRAWN')
        AND (close_reason = 'EPISODE_ENDED') = (close_ending_reason IS NOT NULL));

      -- Discharge requests: decided ones never change (discharge_request_guard), but for this backfill.
      ALTER TABLE discharge_request
        ADD COLUMN reason_episode_status text CHECK (reason_episode_status IN ('ACTIVE','DISCHARGED','ENDED')),
        ADD COLUMN reason_proposal_status text CHECK (reason_proposal_status IN ('OPEN','APPROVED','REJECTED','EXPIRED','VOIDED','WITHDRAWN'));
      ALTER TABLE discharge_request DISABLE TRIGGER discharge_request_guard;
      UPDATE discharge_request SET
        reason_episode_status = substring(reason FROM '^The episode had already ended \\((\\w+)\\)'),
        reason_proposal_status = substring(reason FROM 'the latest discharge proposal was (\\w+)$'),
        reason = CASE
          WHEN reason LIKE 'The episode had already ended%' THEN 'EPISODE_NOT_ACTIVE'
          WHEN reason LIKE '%there is no discharge proposal%' THEN 'NO_DISCHARGE_PROPOSAL'
          WHEN reason LIKE '%is still open%' THEN 'PROPOSAL_STILL_OPEN'
          WHEN reason LIKE '%the latest discharge proposal was%' THEN 'PROPOSAL_NOT_APPROVED'
          WHEN reason LIKE '%already been used%' THEN 'DECISION_USED'
          ELSE 'DECISION_EXPIRED' END
       WHERE reason IS NOT NULL;
      ALTER TABLE discharge_request ENABLE TRIGGER discharge_request_guard;
      ALTER TABLE discharge_request ADD CONSTRAINT discharge_request_reason_check CHECK (
        reason IN ('EPISODE_NOT_ACTIVE','NO_DISCHARGE_PROPOSAL','PROPOSAL_STILL_OPEN','PROPOSAL_NOT_APPROVED','DECISION_USED','DECISION_EXPIRED')
        AND (reason = 'EPISODE_NOT_ACTIVE') = (reason_episode_status IS NOT NULL)
        AND (reason = 'PROPOSAL_NOT_APPROVED') = (reason_proposal_status IS NOT NULL));

      -- Notifications: the kind stays, the sentence becomes parameters.
      ALTER TABLE notification ADD COLUMN params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object');
      UPDATE notification SET params = jsonb_strip_nulls(jsonb_build_object(
          'proposalTitle', coalesce(substring(message FROM '^New proposal to vote on: (.*)$'), substring(message FROM '^Proposal "(.*)": ')),
          'closeReason', CASE kind WHEN 'PROPOSAL_APPROVED' THEN 'ALL_AGREED' WHEN 'PROPOSAL_REJECTED' THEN 'DISAGREED_AT_DEADLINE'
              WHEN 'PROPOSAL_EXPIRED' THEN 'NOT_ALL_VOTED' WHEN 'PROPOSAL_WITHDRAWN' THEN 'WITHDRAWN'
              WHEN 'PROPOSAL_VOIDED' THEN CASE WHEN message LIKE 'The episode ended:%' THEN 'EPISODE_ENDED' ELSE 'MEMBERSHIP_CHANGED' END END,
          'episodeKind', substring(message FROM '^A (PSYCHIATRY|ADDICTION_CARE|SOCIAL_SERVICES|PRIMARY_CARE) episode '),
          'endingReason', CASE WHEN kind IN ('EPISODE_ENDED', 'PROPOSAL_VOIDED') THEN CASE
              WHEN message LIKE '%has died%' THEN 'DIED'
              WHEN message LIKE '%moved out of the area%' THEN 'MOVED_OUT_OF_AREA'
              WHEN message LIKE '%withdrawn consent%' THEN 'CONSENT_WITHDRAWN' END END,
          'principal', CASE WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' THEN CASE
              WHEN message LIKE '% of the municipality %' THEN 'MUNICIPALITY'
              WHEN message LIKE '% of the region %' THEN 'REGION'
              WHEN message LIKE '% of another organisation %' THEN 'OTHER' END END,
          'votingRepresentative', CASE WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' THEN message LIKE 'A voting representative %' END,
          'membershipChange', CASE
              WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' AND message LIKE '% joined %' THEN 'JOINED'
              WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' AND message LIKE '% leaves %' THEN 'LEAVING'
              WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' AND message LIKE '% left %' THEN 'LEFT'
              WHEN kind = 'ACT_TEAM_ROSTER_CHANGED' AND message LIKE 'A new member joined%' THEN 'JOINED'
              WHEN kind = 'ACT_TEAM_ROSTER_CHANGED' THEN 'LEFT' END,
          'validFrom', CASE WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' THEN substring(message FROM ' from (\\d{4}-\\d{2}-\\d{2})') END,
          'validTo', CASE WHEN kind = 'GROUP_MEMBERSHIP_CHANGED' THEN substring(message FROM '(?:until|after) (\\d{4}-\\d{2}-\\d{2})') END,
          'date', substring(message FROM '\\((\\d{4}-\\d{2}-\\d{2})\\)$')));
      -- A reminder's moment (a meeting, a vote's deadline) from what it was about; a printed note's text as written.
      UPDATE notification n SET params = n.params || jsonb_strip_nulls(jsonb_build_object(
          'startsAt', to_char(coalesce(m.starts_at, p.deadline) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'appointmentNote', CASE WHEN d.channel = 'PRINTED_NOTE' THEN substring(n.message FROM '^[^:]*: (.*)$') END))
        FROM delivery d JOIN reminder r ON r.key = d.reminder_key
        LEFT JOIN sip_meeting m ON m.id = r.subject_id AND r.rule LIKE 'MEETING%'
        LEFT JOIN proposal p ON p.id = r.subject_id AND r.rule LIKE 'VOTES%'
       WHERE d.id = n.delivery_id;
      ALTER TABLE notification DROP COLUMN message;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notification ADD COLUMN message text NOT NULL DEFAULT '';
      UPDATE notification SET message = coalesce(params->>'appointmentNote', params->>'proposalTitle', kind);
      ALTER TABLE notification ALTER COLUMN message DROP DEFAULT, DROP COLUMN params;
      ALTER TABLE discharge_request DROP CONSTRAINT discharge_request_reason_check, DROP COLUMN reason_episode_status, DROP COLUMN reason_proposal_status;
      ALTER TABLE proposal DROP CONSTRAINT proposal_close_reason_check, DROP CONSTRAINT proposal_withdrawal_reason_check;
      ALTER TABLE proposal DISABLE TRIGGER proposal_guard;
      UPDATE proposal SET close_reason = withdrawal_reason WHERE status = 'WITHDRAWN';
      ALTER TABLE proposal ENABLE TRIGGER proposal_guard;
      ALTER TABLE proposal DROP COLUMN withdrawal_reason, DROP COLUMN close_ending_reason;
      ALTER TABLE proposal ADD CONSTRAINT proposal_withdrawal_reason_check CHECK (status <> 'WITHDRAWN' OR length(close_reason) BETWEEN 1 AND 2000);
    `);
  }
}
