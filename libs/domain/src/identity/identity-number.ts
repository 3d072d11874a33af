/**
 * Swedish identity numbers as Skatteverket defines them, and Region Stockholm's reserve numbers.
 * All are stored as 12 digits (century included) so that sorting and uniqueness are unambiguous.
 */
export enum IdentityKind {
  PERSONNUMMER = 'PERSONNUMMER',
  SAMORDNINGSNUMMER = 'SAMORDNINGSNUMMER',
  RESERVE_NUMBER = 'RESERVE_NUMBER',
  /** No ID document yet: the person is known by a temporary reference only. */
  UNIDENTIFIED = 'UNIDENTIFIED',
}

export type IdentityCheck = { valid: true; normalized: string } | { valid: false; reason: string };

/** Luhn check digit over the 9 first digits of the 10-digit form (weights 2,1,2,...). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (product > 9) product -= 9;
    sum += product;
  }
  return (10 - (sum % 10)) % 10;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Accepts YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN and YYMMDD+NNNN (the "+" marks age 100 or more).
 * A 10-digit form gets the century that makes the person at most 99 years old on `today`
 * (100 or more with "+").
 */
function toTwelveDigits(raw: string, today: Date): string | { reason: string } {
  const compact = raw.trim().replace(/\s/g, '');
  const m = /^(\d{2})?(\d{6})([-+]?)(\d{4})$/.exec(compact);
  if (!m) return { reason: 'must be 10 or 12 digits, optionally with - or + before the last four' };
  const [, century, yymmdd, separator, last4] = m;
  if (century) {
    if (separator === '+') return { reason: 'a 12-digit number does not use "+"' };
    return century + yymmdd + last4;
  }
  const yy = Number(yymmdd.slice(0, 2));
  const thisYear = today.getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + yy;
  if (year > thisYear) year -= 100;
  if (separator === '+') year -= 100;
  return String(year) + yymmdd.slice(2) + last4;
}

function checkDateAndDigit(twelve: string, dayOffset: number, label: string): IdentityCheck {
  const year = Number(twelve.slice(0, 4));
  const month = Number(twelve.slice(4, 6));
  const day = Number(twelve.slice(6, 8)) - dayOffset;
  if (!isRealDate(year, month, day)) {
    return { valid: false, reason: `${label} does not contain a valid date${dayOffset ? ' (day of birth + 60)' : ''}` };
  }
  const tenDigits = twelve.slice(2);
  if (luhnCheckDigit(tenDigits.slice(0, 9)) !== Number(tenDigits[9])) {
    return { valid: false, reason: `${label} has a wrong check digit` };
  }
  return { valid: true, normalized: twelve };
}

export function validatePersonnummer(raw: string, today = new Date()): IdentityCheck {
  const twelve = toTwelveDigits(raw, today);
  if (typeof twelve !== 'string') return { valid: false, reason: `personnummer ${twelve.reason}` };
  return checkDateAndDigit(twelve, 0, 'personnummer');
}

export function validateSamordningsnummer(raw: string, today = new Date()): IdentityCheck {
  const twelve = toTwelveDigits(raw, today);
  if (typeof twelve !== 'string') return { valid: false, reason: `samordningsnummer ${twelve.reason}` };
  const day = Number(twelve.slice(6, 8));
  if (day < 61 || day > 91) return { valid: false, reason: 'samordningsnummer must have day of birth + 60 (61-91)' };
  return checkDateAndDigit(twelve, 60, 'samordningsnummer');
}

/**
 * Region Stockholm reserve number: "99" + century + year of issue + 6 digits, 12 digits in all.
 * There is no reliable check digit, so only the format (and a plausible year) is checked.
 */
export function validateReserveNumber(raw: string, today = new Date()): IdentityCheck {
  const compact = raw.trim().replace(/[\s-]/g, '');
  if (!/^99\d{10}$/.test(compact)) {
    return {
      valid: false,
      reason: 'reserve number must be 12 digits starting with 99 (99 + century + year + 6 digits)',
    };
  }
  const year = Number(compact.slice(2, 6));
  if (year < 1900 || year > today.getUTCFullYear()) {
    return { valid: false, reason: 'reserve number has an implausible year of issue' };
  }
  return { valid: true, normalized: compact };
}

export function validateIdentityNumber(
  kind: IdentityKind,
  raw: string | null | undefined,
  today = new Date(),
): IdentityCheck {
  if (kind === IdentityKind.UNIDENTIFIED) {
    return raw
      ? { valid: false, reason: 'an unidentified person has no identity number' }
      : { valid: true, normalized: '' };
  }
  if (!raw) return { valid: false, reason: `${kind.toLowerCase()} is required` };
  switch (kind) {
    case IdentityKind.PERSONNUMMER:
      return validatePersonnummer(raw, today);
    case IdentityKind.SAMORDNINGSNUMMER:
      return validateSamordningsnummer(raw, today);
    case IdentityKind.RESERVE_NUMBER:
      return validateReserveNumber(raw, today);
  }
}

/**
 * For a search, where the kind is not given: a reserve number (12 digits starting with 99), a
 * samordningsnummer (day of birth + 60) or a personnummer, each validated as in registration.
 */
export function validateAnyIdentityNumber(raw: string, today = new Date()): IdentityCheck {
  if (/^99\d{10}$/.test(raw.trim().replace(/[\s-]/g, ''))) return validateReserveNumber(raw, today);
  for (const check of [validatePersonnummer(raw, today), validateSamordningsnummer(raw, today)])
    if (check.valid) return check;
  return { valid: false, reason: 'is not a valid personnummer, samordningsnummer or reserve number' };
}

/** Shown form: YYYYMMDD-NNNN for personnummer and samordningsnummer, the bare 12 digits for reserve numbers. */
export function formatIdentityNumber(kind: IdentityKind, twelve: string | null): string | null {
  if (!twelve) return null;
  if (kind === IdentityKind.PERSONNUMMER || kind === IdentityKind.SAMORDNINGSNUMMER) {
    return `${twelve.slice(0, 8)}-${twelve.slice(8)}`;
  }
  return twelve;
}

/** Legal gender is encoded in the birth number: odd for men, even for women. */
export function legalGenderFromNumber(twelve: string): 'FEMALE' | 'MALE' {
  return Number(twelve[10]) % 2 === 1 ? 'MALE' : 'FEMALE';
}
