/** Luhn (mod 10) over a digit string, as used by payment cards and Canadian SINs. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * ISO 13616 check: move the first four characters to the end, letters to 10..35, and the number
 * mod 97 must be 1. Computed piecewise so no big integers are needed.
 */
export function isValidIban(raw: string): boolean {
  const iban = raw.replace(/[ ]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && iban.length !== expected) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const v = c >= 65 ? c - 55 : c - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/**
 * Lengths of the commonest IBAN countries (SWIFT IBAN Registry,
 * https://www.swift.com/standards/data-standards/iban, read 2026-11-25). Others are checked by
 * mod 97 alone.
 */
const IBAN_LENGTHS: Record<string, number> = {
  AT: 20,
  BE: 16,
  CH: 21,
  CZ: 24,
  DE: 22,
  DK: 18,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GR: 27,
  IE: 22,
  IT: 27,
  LU: 20,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  SE: 24,
};

/**
 * US Social Security Number ranges that are never issued: area 000, 666 and 900-999, group 00,
 * serial 0000 (SSA, https://www.ssa.gov/employer/randomization.html, read 2026-11-25).
 */
export function isPlausibleSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  return group !== '00' && serial !== '0000';
}

/**
 * UK National Insurance number prefixes that are never issued (HMRC NIM39110,
 * https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110, read 2026-11-25).
 */
export function isPlausibleNino(nino: string): boolean {
  const prefix = nino.slice(0, 2).toUpperCase();
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix);
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is number mod 23. */
export function isValidSpanishId(id: string): boolean {
  const s = id.toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m) return false;
  const [, prefix, digits, letter] = m;
  if (prefix === '' && digits.length !== 8) return false;
  if (prefix !== '' && digits.length !== 7) return false;
  const n = Number(`${prefix === '' ? '' : 'XYZ'.indexOf(prefix)}${digits}`);
  return DNI_LETTERS[n % 23] === letter;
}
