// A refused change to the group, its care episodes or ACT place, said in the reader's language. Each form
// names which of the domain's rules its refusals mean (by kind of refusal and by field); the rule itself
// lives once, on the server. What a form does not name is shown as the API client explains it.
import { useEffect, useRef } from 'react';
import type { FieldValues, Path } from 'react-hook-form';
import type { ApiError } from '../api/client';
import { FormProblem, type ApiForm } from '../forms/api-form';
import { useI18n, type MessageKey } from '../i18n/i18n';

export interface Refusals {
  /** The rule behind a FORBIDDEN answer (who may do this). */
  forbidden?: MessageKey;
  /** The rule behind a refusal in the state of things (INVALID_STATE, BAD_USER_INPUT with no field of this form). */
  invalid?: MessageKey;
  /** The rule behind a CONFLICT (e.g. one active episode per organisation). */
  conflict?: MessageKey;
  /** The rule behind a refused field, by the form's field name. */
  fields?: Record<string, MessageKey>;
}

/** The refusal of the whole form, focused when it appears so a screen reader hears it. */
export function Refusal({ problem, refusals }: { problem: ApiError | null; refusals: Refusals }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const key = problem
    ? problem.kind === 'forbidden'
      ? refusals.forbidden
      : problem.kind === 'invalid'
        ? refusals.invalid
        : problem.kind === 'conflict'
          ? refusals.conflict
          : undefined
    : undefined;
  useEffect(() => {
    if (problem && key) ref.current?.focus();
  }, [problem, key]);
  if (!problem) return null;
  if (!key) return <FormProblem problem={problem} />;
  return (
    <div ref={ref} tabIndex={-1} className="form-problem">
      <div className="status status-error" role="alert">
        <p>{t(key)}</p>
      </div>
    </div>
  );
}

/** The message at a field: the named rule when the API refused it, else the form's own (e.g. required). */
export function useFieldRefusal<T extends FieldValues>(
  api: ApiForm<T>,
  refusals: Refusals,
): (name: Path<T>) => string | undefined {
  const { t } = useI18n();
  return (name) => {
    const error = api.form.formState.errors[name as string] as { type?: string } | undefined;
    const key = refusals.fields?.[name as string];
    if (error?.type === 'server' && key) return t(key);
    return api.errorOf(name);
  };
}
