// The language in use (Swedish unless the user picked English, remembered in localStorage) and t().
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { translateApiMessage } from './api-messages';
import { en } from './en';
import { sv, type Messages } from './sv';

export type Language = 'sv' | 'en';
const MESSAGES: Record<Language, Messages> = { sv, en };
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
  /** A message from the API, in the chosen language when it is a known one. */
  apiMessage: (message: string | undefined) => string | undefined;
}

function lookup(messages: Messages, key: string): string {
  const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
  return typeof value === 'string' ? value : key;
}

export function createI18n(language: Language, setLanguage: (l: Language) => void = () => undefined): I18n {
  const messages = MESSAGES[language];
  const locale = language === 'sv' ? 'sv-SE' : 'en-GB';
  return {
    language,
    setLanguage,
    t: (key, vars) => lookup(messages, key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
    label: (name, value) => (value ? ((messages.enums[name] as Record<string, string>)[value] ?? value) : messages.common.none),
    // Plain ISO dates ("2026-11-20") are calendar days: format them without a time-zone shift.
    date: (iso) => (iso ? new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: iso.length === 10 ? 'UTC' : undefined }) : messages.common.none),
    apiMessage: (message) => (message === undefined ? undefined : translateApiMessage(message, language)),
    dateTime: (iso) => (iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : messages.common.none),
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
  const [language, setState] = useState<Language>(fixed ?? initialLanguage);
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
