// The caseload's filter and order as kept in the address, and the query they make. No React here: the client's
// first script (boot.ts) reads the caseload with it before the page's code has arrived.
import { CaseloadDocument, type CaseloadFilter, type CaseloadSort } from '../api/generated';

/** The most persons one page shows (the API's page maximum); an ACT case manager has about ten. */
export const CASELOAD_PAGE = 200;

export type Show = 'all' | 'overdue' | 'vote' | 'noContact';
export const SHOWS: Show[] = ['all', 'overdue', 'vote', 'noContact'];
export const SORTS: CaseloadSort[] = ['FOLLOW_UP', 'LAST_CONTACT', 'NAME'];
/** The default of "no contact for N days": two weeks, as the ACT teams' usual alert. */
const NO_CONTACT_DAYS = 14;

/** The filter and order, as kept in the address (?visa=…&dagar=…&ordning=…) so that back and a shared link keep them. */
export function caseloadViewOf(params: URLSearchParams) {
  const show = (SHOWS as string[]).includes(params.get('visa') ?? '') ? (params.get('visa') as Show) : 'all';
  const sort = (SORTS as string[]).includes(params.get('ordning') ?? '')
    ? (params.get('ordning') as CaseloadSort)
    : 'FOLLOW_UP';
  const parsed = Number.parseInt(params.get('dagar') ?? '', 10);
  const days = Number.isFinite(parsed) && parsed >= 0 && parsed <= 3650 ? parsed : NO_CONTACT_DAYS;
  const filter: CaseloadFilter | null =
    show === 'overdue'
      ? { followUpOverdue: true }
      : show === 'vote'
        ? { awaitingMyVote: true }
        : show === 'noContact'
          ? { noContactForDays: days }
          : null;
  return { show, sort, days, filter };
}

/** The caseload's first page for a view. */
export function caseloadQuery({ sort, filter }: { sort: CaseloadSort; filter: CaseloadFilter | null }) {
  return { document: CaseloadDocument, variables: { first: CASELOAD_PAGE, sort, filter } };
}
