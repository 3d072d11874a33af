// Counts the electorate's current votes.
export function tally(electorate: ReadonlyArray<{ choice?: string | null }>): {
  agree: number;
  disagree: number;
  pending: number;
} {
  const agree = electorate.filter((e) => e.choice === 'AGREE').length;
  const disagree = electorate.filter((e) => e.choice === 'DISAGREE').length;
  return { agree, disagree, pending: electorate.length - agree - disagree };
}
