// The API words some field refusals only in English. A form that knows its fields' rules gives each field
// its own wording in the reader's language, used when the API's message has none.
import type { FieldValues, Path } from 'react-hook-form';
import { useI18n } from '../i18n/i18n';
import type { ApiForm } from './api-form';

export function useFieldErrors<T extends FieldValues>(api: ApiForm<T>, fallback: (name: Path<T>) => string | undefined): (name: Path<T>) => string | undefined {
  const { language, apiMessage } = useI18n();
  return (name) => {
    const text = api.errorOf(name);
    if (!text || language === 'en') return text;
    const raw = name.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], api.form.formState.errors) as { message?: string } | undefined;
    const message = raw?.message;
    // Translated (or the client's own "required"): keep it; left in English: the form's own wording.
    return message && message !== 'required' && apiMessage(message) === message ? (fallback(name) ?? text) : text;
  };
}
