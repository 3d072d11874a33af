import { Ballot, evaluateProposal, missingPrincipals } from '../../libs/domain/src/decisions/consensus';
import { ProposalStatus, VoteChoice } from '../../libs/domain/src/decisions/decision.enums';
import { Principal } from '../../libs/domain/src/organisation/organisation.enums';

const { AGREE, DISAGREE } = VoteChoice;
const M = Principal.MUNICIPALITY;
const R = Principal.REGION;
const deadline = new Date('2026-12-01T12:00:00Z');
const before = new Date('2026-11-30T12:00:00Z');
const after = new Date('2026-12-01T12:00:01Z');

const ballots = (...choices: Array<VoteChoice | null>): Ballot[] =>
  choices.map((choice, i) => ({ principal: i % 2 ? R : M, choice }));

describe('the consensus rule', () => {
  it.each<[string, Ballot[], Date, boolean, ProposalStatus]>([
    ['everyone agrees before the deadline', ballots(AGREE, AGREE, AGREE), before, false, ProposalStatus.APPROVED],
    ['everyone agrees at the deadline instant', ballots(AGREE, AGREE), deadline, false, ProposalStatus.APPROVED],
    ['one has not voted yet', ballots(AGREE, null, AGREE), before, false, ProposalStatus.OPEN],
    ['nobody has voted yet', ballots(null, null), before, false, ProposalStatus.OPEN],
    [
      'one disagrees before the deadline: may still change their mind',
      ballots(AGREE, DISAGREE),
      before,
      false,
      ProposalStatus.OPEN,
    ],
    [
      'everyone disagrees before the deadline: still open',
      ballots(DISAGREE, DISAGREE),
      before,
      false,
      ProposalStatus.OPEN,
    ],
    ['deadline passed with a disagreement', ballots(AGREE, DISAGREE), after, false, ProposalStatus.REJECTED],
    [
      'deadline passed with a disagreement and a missing vote',
      ballots(DISAGREE, null),
      after,
      false,
      ProposalStatus.REJECTED,
    ],
    ['deadline passed without all votes', ballots(AGREE, null, AGREE), after, false, ProposalStatus.EXPIRED],
    ['deadline passed without any vote', ballots(null, null), after, false, ProposalStatus.EXPIRED],
    [
      'deadline passed although everyone agreed (approval came too late)',
      ballots(AGREE, AGREE),
      after,
      false,
      ProposalStatus.EXPIRED,
    ],
    ['membership changed while everyone agreed', ballots(AGREE, AGREE), before, true, ProposalStatus.VOIDED],
    ['membership changed with votes missing', ballots(AGREE, null), before, true, ProposalStatus.VOIDED],
    ['membership changed after the deadline', ballots(AGREE, DISAGREE), after, true, ProposalStatus.VOIDED],
    [
      'a single-member electorate that agrees',
      [{ principal: M, choice: AGREE }],
      before,
      false,
      ProposalStatus.APPROVED,
    ],
  ])('%s', (_name, b, now, membershipChanged, expected) => {
    expect(evaluateProposal({ ballots: b, deadline, now, membershipChanged })).toBe(expected);
  });

  it('cannot evaluate a proposal without an electorate', () => {
    expect(() => evaluateProposal({ ballots: [], deadline, now: before, membershipChanged: false })).toThrow(
      /electorate/,
    );
  });
});

describe('who must be in the electorate', () => {
  it.each<[string, Principal[], Principal[]]>([
    ['both principals', [M, R], []],
    ['both, several each', [M, M, R, R], []],
    ['only the municipality', [M, M], [R]],
    ['only the region', [R], [M]],
    ['nobody', [], [M, R]],
  ])('%s', (_name, principals, missing) => {
    expect(missingPrincipals(principals.map((principal) => ({ principal })))).toEqual(missing);
  });
});
