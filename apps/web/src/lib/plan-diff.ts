// A readable difference between two revisions of a SIP plan: what was added, removed or changed,
// section by section. Pure, so that it is tested on its own.
import type { PlanContentFieldsFragment } from '../api/generated';

export type PlanContent = PlanContentFieldsFragment;

export type DiffSection =
  | 'status'
  | 'followUpOn'
  | 'consentGivenAt'
  | 'consentValidUntil'
  | 'personGoals'
  | 'overallResponsibility'
  | 'needs'
  | 'interventions'
  | 'otherMeasures'
  | 'participants';

export interface DiffLine {
  section: DiffSection;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

type Describe<T> = (item: T) => string;

function scalar(section: DiffSection, before: string | null | undefined, after: string | null | undefined): DiffLine[] {
  const a = before ?? '';
  const b = after ?? '';
  if (a === b) return [];
  if (!a) return [{ section, kind: 'added', after: b }];
  if (!b) return [{ section, kind: 'removed', before: a }];
  return [{ section, kind: 'changed', before: a, after: b }];
}

/** Items matched by key: new keys are added, missing keys removed, same key with another text changed. */
function list<T>(
  section: DiffSection,
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  describe: Describe<T>,
): DiffLine[] {
  const old = new Map(before.map((item) => [key(item), item]));
  const lines: DiffLine[] = [];
  const seen = new Set<string>();
  for (const item of after) {
    const k = key(item);
    seen.add(k);
    const previous = old.get(k);
    if (!previous) lines.push({ section, kind: 'added', after: describe(item) });
    else if (describe(previous) !== describe(item))
      lines.push({ section, kind: 'changed', before: describe(previous), after: describe(item) });
  }
  for (const [k, item] of old) if (!seen.has(k)) lines.push({ section, kind: 'removed', before: describe(item) });
  return lines;
}

export interface DiffLabels {
  need: Describe<PlanContent['needs'][number]>;
  intervention: Describe<PlanContent['interventions'][number]>;
  participant: Describe<PlanContent['participants'][number]>;
  principal: (value: string | null | undefined) => string;
  /** An organisation's name (an organisation of the same principal taking over is a change too). */
  organisation: (id: string) => string;
  status: (value: string) => string;
}

/** Who holds the overall responsibility: the principal, and the organisation when one is named. */
function responsibility(content: PlanContent, labels: DiffLabels): string | null {
  if (!content.overallResponsibilityPrincipal) return null;
  const principal = labels.principal(content.overallResponsibilityPrincipal);
  return content.overallResponsibilityOrganisationId
    ? `${principal}: ${labels.organisation(content.overallResponsibilityOrganisationId)}`
    : principal;
}

export function diffPlans(before: PlanContent, after: PlanContent, labels: DiffLabels): DiffLine[] {
  return [
    ...scalar('status', labels.status(before.status), labels.status(after.status)),
    ...scalar('personGoals', before.personGoals, after.personGoals),
    ...scalar('followUpOn', before.followUpOn, after.followUpOn),
    ...scalar('consentGivenAt', before.consentGivenAt, after.consentGivenAt),
    ...scalar('consentValidUntil', before.consentValidUntil, after.consentValidUntil),
    ...scalar('overallResponsibility', responsibility(before, labels), responsibility(after, labels)),
    ...list('needs', before.needs, after.needs, (n) => n.id, labels.need),
    ...list('interventions', before.interventions, after.interventions, (i) => i.id, labels.intervention),
    ...list(
      'otherMeasures',
      before.otherMeasures,
      after.otherMeasures,
      (m) => m.id,
      (m) => `${m.actorName}: ${m.description}`,
    ),
    ...list(
      'participants',
      before.participants,
      after.participants,
      (p) => `${p.kind}:${p.staffId ?? p.relativeId ?? p.name ?? ''}`,
      labels.participant,
    ),
  ];
}
