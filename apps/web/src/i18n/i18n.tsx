// The language in use (Swedish unless the user picked English, remembered in localStorage) and t().
// Swedish comes with the client; English is fetched when first chosen, and the screens stay Swedish until it is here.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiError, FieldProblem } from '../api/client';
import { sv, type Messages } from './sv';
import { formatCalendarDay, formatDateTime, formatDay } from './dates';

export type Language = 'sv' | 'en';
const MESSAGES: Partial<Record<Language, Messages>> = { sv };
const LOADERS: Record<Language, () => Promise<Messages>> = {
  sv: async () => sv,
  en: async () => (await import('./en')).en,
};

/** Fetches a language's texts once; createI18n uses them from then on. */
export async function loadLanguage(language: Language): Promise<void> {
  MESSAGES[language] ??= await LOADERS[language]();
}
const STORAGE_KEY = 'samverka.language';

/** Dotted keys of the string leaves, e.g. "caseload.title". */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Exclude<Leaves<Messages>, `enums.${string}`>;
export type EnumName = keyof Messages['enums'];

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** The label of an enum value, e.g. label('SipPlanStatus', 'DRAFT'); the raw value when unknown. */
  label: (name: EnumName, value: string | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  /** The message for one input field of a refused request, worded from the rule's code; undefined when the field is fine. */
  fieldError: (error: ApiError | null | undefined, field: string) => string | undefined;
  /** One field problem from the API, worded from its rule's code and parameters. */
  problemText: (problem: FieldProblem) => string;
  /** Whether a rule's code has words that say what is wrong (not a generic "not accepted" or "wrong form"). */
  hasWording: (code: string) => boolean;
  /** A refused request in words: the domain rule that refused it, else its first field's rule, else its kind. */
  errorText: (error: ApiError) => string;
}

function lookup(messages: Messages, key: string): string {
  return find(messages, key) ?? key;
}

function find(messages: Messages, key: string): string | undefined {
  const value = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
  return typeof value === 'string' ? value : undefined;
}

function fill(text: string, vars?: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}

/** Rules whose words only say that a value is not accepted; a form may know better what its field needs. */
const GENERIC_RULES = new Set(['invalid', 'matches']);

/** A rule's code in words: a domain reason (with its parameters), a validation constraint, or a plain "not accepted". */
function ruleText(messages: Messages, code: string, params: Record<string, string | number>): string {
  return fill(
    find(messages, `errors.reason.${code}`) ??
      find(messages, `errors.constraint.${code}`) ??
      messages.errors.constraint.invalid,
    params,
  );
}

/** Texts in `language` once loaded (loadLanguage), Swedish until then. */
export function createI18n(wanted: Language, setLanguage: (l: Language) => void = () => undefined): I18n {
  const language = MESSAGES[wanted] ? wanted : 'sv';
  const messages = MESSAGES[language] ?? sv;
  return {
    language,
    setLanguage,
    t: (key, vars) => fill(lookup(messages, key), vars),
    label: (name, value) =>
      value ? ((messages.enums[name] as Record<string, string>)[value] ?? value) : messages.common.none,
    date: (iso) =>
      !iso
        ? messages.common.none
        : iso.length === 10
          ? formatCalendarDay(language, iso)
          : formatDay(language, new Date(iso)),
    fieldError: (error, field) => {
      const problem = error?.fieldProblem(field);
      return problem && ruleText(messages, problem.constraint, problem.params);
    },
    problemText: (problem) => ruleText(messages, problem.constraint, problem.params),
    hasWording: (code) =>
      !GENERIC_RULES.has(code) &&
      (find(messages, `errors.reason.${code}`) ?? find(messages, `errors.constraint.${code}`)) !== undefined,
    errorText: (error) => {
      if (error.reason) return ruleText(messages, error.reason, error.params);
      if (error.kind === 'connection') return messages.status.connection;
      if (error.kind === 'forbidden') return messages.status.forbidden;
      if (error.kind === 'notFound') return messages.status.notFound;
      if (error.kind === 'conflict') return messages.status.conflict;
      if (error.kind === 'unauthenticated') return messages.login.expired;
      if (error.kind === 'invalid' && error.fields.length > 0)
        return ruleText(messages, error.fields[0].constraint, error.fields[0].params);
      if (error.kind === 'invalid')
        return error.code === 'INVALID_STATE' ? messages.status.invalidState : messages.status.invalid;
      return messages.status.failed;
    },
    dateTime: (iso) => (iso ? formatDateTime(language, new Date(iso)) : messages.common.none),
  };
}

const I18nContext = createContext<I18n>(createI18n('sv'));

function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'sv';
  } catch {
    return 'sv';
  }
}

export function I18nProvider({ children, language: fixed }: { children: ReactNode; language?: Language }) {
  const [wanted, setState] = useState<Language>(fixed ?? initialLanguage);
  const [loaded, setLoaded] = useState(() => MESSAGES[wanted] !== undefined);
  useEffect(() => {
    if (MESSAGES[wanted]) return setLoaded(true);
    let current = true;
    setLoaded(false);
    // Offline the texts may not come: the screens stay Swedish, and choosing the language again tries again.
    loadLanguage(wanted).then(
      () => current && setLoaded(true),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  const language = loaded && MESSAGES[wanted] ? wanted : 'sv';
  const setLanguage = useCallback((l: Language) => {
    setState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Private browsing: the choice lasts for this page only.
    }
  }, []);
  // Screen readers pronounce the page in the language it is in.
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo(() => createI18n(language, setLanguage), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/**
 * A part of a page in another language than the user's (a document for the person, in the person's language).
 * Its texts are fetched first if they are not here yet; until then (or offline) nothing of it is shown, never
 * the wrong language under the right `lang`.
 */
export function InLanguage({ language, children }: { language: Language; children: ReactNode }) {
  const outer = useI18n();
  const [loaded, setLoaded] = useState(() => MESSAGES[language] !== undefined);
  useEffect(() => {
    if (MESSAGES[language]) return setLoaded(true);
    let current = true;
    setLoaded(false);
    loadLanguage(language).then(
      () => current && setLoaded(true),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [language]);
  const value = useMemo(() => createI18n(language, outer.setLanguage), [language, outer.setLanguage, loaded]);
  if (!loaded || !MESSAGES[language]) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
