// Forms on react-hook-form, wired to the API's answers: a refused save puts each field problem next to its
// field and moves focus to the first one; a refusal that names no field is shown above the buttons and
// focused. Unsaved edits are guarded against leaving the page or closing the dialog.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm, type FieldValues, type Path, type UseFormProps, type UseFormReturn } from 'react-hook-form';
import { ApiError, type FieldProblem } from '../api/client';
import { ErrorMessage } from '../components/status';
import { useI18n, type I18n } from '../i18n/i18n';
import { useUnsavedChangesGuard } from '../router';

/** The form field an API input path points at: "input.interventions.0.status" → "interventions.0.status" when the form has it. */
export function formFieldFor(apiPath: string, values: FieldValues): string | null {
  const parts = apiPath.split('.');
  for (let start = 0; start < parts.length; start++) {
    const candidate = parts.slice(start);
    let node: unknown = values;
    for (const part of candidate)
      node = node === null || node === undefined ? undefined : (node as Record<string, unknown>)[part];
    if (node !== undefined) return candidate.join('.');
  }
  return null;
}

export interface ApiForm<T extends FieldValues> {
  form: UseFormReturn<T>;
  /** The refusal that names no field (or names one this form does not have), shown by <FormProblem>. */
  problem: ApiError | null;
  /** Runs `save` (which rejects with an ApiError when refused, e.g. a mutation's runOrThrow) with the form's values. */
  submit: (save: (values: T) => Promise<unknown>) => (event?: React.BaseSyntheticEvent) => Promise<void>;
  /** The message for a field, in the reader's language. */
  errorOf: (name: Path<T>) => string | undefined;
  /** The API's problem with a field (its rule's code and parameters), while the field shows it. */
  serverProblemOf: (name: Path<T>) => FieldProblem | undefined;
}

/** A field's error in words: the API's rule (kept by field name) worded from its code, or the form's own rule. */
function fieldText(
  i18n: I18n,
  entry: { type?: string; message?: string } | undefined,
  server: FieldProblem | undefined,
): string | undefined {
  if (!entry) return undefined;
  if (entry.type === 'server' && server) return i18n.problemText(server);
  return entry.message === 'required' ? i18n.t('common.required') : entry.message;
}

/** `unguarded`: a form whose edits are not work to lose (a search), so leaving it never asks. */
export function useApiForm<T extends FieldValues>(
  options: UseFormProps<T> & { onSaved?: () => void; unguarded?: boolean } = {},
): ApiForm<T> {
  const i18n = useI18n();
  const form = useForm<T>({ mode: 'onSubmit', ...options });
  const [problem, setProblem] = useState<ApiError | null>(null);
  // The API's problems by form field: react-hook-form keeps that there is one, the code and its parameters are here.
  const serverProblems = useRef(new Map<string, FieldProblem>());
  useUnsavedChangesGuard(!options.unguarded && form.formState.isDirty, i18n.t('common.unsaved'));

  const submit: ApiForm<T>['submit'] = (save) =>
    form.handleSubmit(async (values) => {
      setProblem(null);
      try {
        await save(values);
        form.reset(values);
        options.onSaved?.();
      } catch (e) {
        const error = e instanceof ApiError ? e : new ApiError('failed', e instanceof Error ? e.message : String(e));
        let placed = false;
        serverProblems.current.clear();
        for (const p of error.fields) {
          const name = formFieldFor(p.field, values);
          if (!name) continue;
          serverProblems.current.set(name, p);
          form.setError(name as Path<T>, { type: 'server', message: p.constraint }, { shouldFocus: !placed });
          placed = true;
        }
        if (!placed) setProblem(error);
      }
    });

  const errorOf = (name: Path<T>) => {
    const entry = name
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], form.formState.errors);
    return fieldText(i18n, entry as { type?: string; message?: string } | undefined, serverProblems.current.get(name));
  };
  const serverProblemOf = (name: Path<T>) => {
    const entry = name
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], form.formState.errors) as
      { type?: string } | undefined;
    return entry?.type === 'server' ? serverProblems.current.get(name) : undefined;
  };
  return { form, problem, submit, errorOf, serverProblemOf };
}

/**
 * For a form that keeps its own state (not on useApiForm): when a refused save names fields, focus moves to
 * the first field shown in error, as useApiForm does. Put the returned ref on the <form>.
 */
export function useFocusFirstInvalid(error: ApiError | null | undefined) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error || error.fields.length === 0) return;
    ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  return ref;
}

/** The refusal of a save that names no field; focused when it appears so a screen reader hears it. */
export function FormProblem({ problem }: { problem: ApiError | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  if (!problem) return null;
  return (
    <div ref={ref} tabIndex={-1} className="form-problem">
      <ErrorMessage error={problem} />
    </div>
  );
}

/** Save and cancel, with the save button busy while the request runs. */
export function FormButtons({
  busy,
  onCancel,
  saveLabel,
  children,
}: {
  busy: boolean;
  onCancel?: () => void;
  saveLabel?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="form-buttons">
      <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
        {saveLabel ?? t('common.save')}
      </button>
      {onCancel && (
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
      {children}
    </div>
  );
}
