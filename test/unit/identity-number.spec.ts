import {
  formatIdentityNumber,
  IdentityKind,
  legalGenderFromNumber,
  luhnCheckDigit,
  validateAnyIdentityNumber,
  validateIdentityNumber,
  validatePersonnummer,
  validateReserveNumber,
  validateSamordningsnummer,
} from '../../libs/domain/src/identity/identity-number';

const TODAY = new Date('2026-11-23T12:00:00Z');

describe('personnummer', () => {
  it.each([
    ['19811218-9876', '198112189876'],
    ['198112189876', '198112189876'],
    ['811218-9876', '198112189876'],
    ['121212-1212', '201212121212'], // 10 digits: the century that makes the person at most 99
    ['121212+1212', '191212121212'], // "+" marks 100 years or more
    ['  19121212-1212 ', '191212121212'],
  ])('accepts %s as %s', (raw, normalized) => {
    expect(validatePersonnummer(raw, TODAY)).toEqual({ valid: true, normalized });
  });

  it.each([
    ['19811218-9875', 'check digit'],
    ['19811318-9876', 'valid date'], // month 13
    ['19810230-1234', 'valid date'], // 30 February
    ['1981121', '10 or 12 digits'],
    ['19811218+9876', 'does not use "+"'],
    ['abcdefgh-ijkl', '10 or 12 digits'],
  ])('refuses %s (%s)', (raw, reason) => {
    const result = validatePersonnummer(raw, TODAY);
    expect(result.valid).toBe(false);
    expect(!result.valid && result.reason).toContain(reason);
  });

  it('computes the Luhn check digit over the 10-digit form', () => {
    expect(luhnCheckDigit('811218987')).toBe(6);
    expect(luhnCheckDigit('121212121')).toBe(2);
  });

  it('reads legal gender from the birth number (odd = man)', () => {
    expect(legalGenderFromNumber('198112189876')).toBe('MALE'); // birth number 987
    expect(legalGenderFromNumber('198112189826')).toBe('FEMALE'); // birth number 982: even
  });
});

describe('samordningsnummer', () => {
  // Day 61 + check digit computed for the 10-digit form 7010632391 (day of birth 3 + 60).
  const nine = '701063239';
  const valid = `19${nine}${luhnCheckDigit(nine)}`;

  it('accepts day of birth + 60', () => {
    expect(validateSamordningsnummer(valid, TODAY)).toEqual({ valid: true, normalized: valid });
  });

  it('refuses a plain personnummer as samordningsnummer', () => {
    const result = validateSamordningsnummer('19811218-9876', TODAY);
    expect(result).toMatchObject({ valid: false, reason: expect.stringContaining('61-91') });
  });

  it('refuses a samordningsnummer as personnummer (day 63 is no date)', () => {
    expect(validatePersonnummer(valid, TODAY).valid).toBe(false);
  });

  it('refuses day + 60 that is not a real date (31 April + 60 = 91)', () => {
    const n = '700491239';
    expect(validateSamordningsnummer(`19${n}${luhnCheckDigit(n)}`, TODAY)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('valid date'),
    });
  });

  it('refuses a wrong check digit', () => {
    const wrong = valid.slice(0, 11) + ((Number(valid[11]) + 1) % 10);
    expect(validateSamordningsnummer(wrong, TODAY)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('check digit'),
    });
  });
});

describe('reserve numbers (Region Stockholm)', () => {
  it('accepts 99 + century + year + 6 digits without a check digit', () => {
    expect(validateReserveNumber('992024123456', TODAY)).toEqual({ valid: true, normalized: '992024123456' });
  });

  it.each(['982024123456', '99202412345', '992024-12345x', '993024123456'])('refuses %s', (raw) => {
    expect(validateReserveNumber(raw, TODAY).valid).toBe(false);
  });
});

describe('by kind', () => {
  it('an unidentified person has no number', () => {
    expect(validateIdentityNumber(IdentityKind.UNIDENTIFIED, null, TODAY)).toEqual({ valid: true, normalized: '' });
    expect(validateIdentityNumber(IdentityKind.UNIDENTIFIED, '19811218-9876', TODAY).valid).toBe(false);
  });

  it('a personnummer is required for that kind', () => {
    expect(validateIdentityNumber(IdentityKind.PERSONNUMMER, '', TODAY)).toMatchObject({ valid: false });
  });

  it('a search tells the kind from the digits, each validated as in registration', () => {
    const nine = '701063239';
    const samordning = `19${nine}${luhnCheckDigit(nine)}`;
    expect(validateAnyIdentityNumber('811218-9876', TODAY)).toEqual({ valid: true, normalized: '198112189876' });
    expect(validateAnyIdentityNumber(samordning, TODAY)).toEqual({ valid: true, normalized: samordning });
    expect(validateAnyIdentityNumber('99 2024 123456', TODAY)).toEqual({ valid: true, normalized: '992024123456' });
    for (const bad of ['19811218-9875', '993024123456', 'abcdefghij'])
      expect(validateAnyIdentityNumber(bad, TODAY).valid).toBe(false);
  });

  it('shows personnummer with a dash and reserve numbers bare', () => {
    expect(formatIdentityNumber(IdentityKind.PERSONNUMMER, '198112189876')).toBe('19811218-9876');
    expect(formatIdentityNumber(IdentityKind.RESERVE_NUMBER, '992024123456')).toBe('992024123456');
    expect(formatIdentityNumber(IdentityKind.UNIDENTIFIED, null)).toBeNull();
  });
});
