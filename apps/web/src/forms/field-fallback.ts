// Some field refusals come from the API without a rule the client can word specifically (a domain check
// without a reason code, a pattern). A form that knows its fields' rules gives each field its own wording
// in the reader's language, used for those.
import type { FieldValues, Path } from 'react-hook-form';
import { useI18n } from '../i18n/i18n';
import type { ApiForm } from './api-form';

export function useFieldErrors<T extends FieldValues>(
  api: ApiForm<T>,
  fallback: (name: Path<T>) => string | undefined,
): (name: Path<T>) => string | undefined {
  const { hasWording } = useI18n();
  return (name) => {
    const text = api.errorOf(name);
    const problem = api.serverProblemOf(name);
    // The API's rule with words of its own (or the client's own rule): keep it; a generic one: the form's own wording.
    return text && problem && !hasWording(problem.constraint) ? (fallback(name) ?? text) : text;
  };
}
