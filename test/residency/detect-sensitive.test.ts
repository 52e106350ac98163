import { describe, expect, it } from 'vitest';
import { detectSensitive, sensitiveKinds } from '../../src/residency/detect-sensitive.js';
import { isValidIban, passesLuhn } from '../../src/residency/checksums.js';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END RSA PRIVATE KEY-----';

/** [text, kind, detail, the exact span found] */
const POSITIVES: [string, string, string, string][] = [
  ['mail alice@example.com today', 'email', 'email', 'alice@example.com'],
  ['<first.last+tag@mail.example.co.uk>', 'email', 'email', 'first.last+tag@mail.example.co.uk'],
  ["o'brien@example.ie wrote", 'email', 'email', "o'brien@example.ie"],
  ['call +44 20 7946 0958 now', 'phone', 'phone_international', '+44 20 7946 0958'],
  ['tel:+1 (415) 555-2671.', 'phone', 'phone_international', '+1 (415) 555-2671'],
  ['portable +33 6 12 34 56 78', 'phone', 'phone_international', '+33 6 12 34 56 78'],
  ['+4915123456789', 'phone', 'phone_international', '+4915123456789'],
  ['office (415) 555-2671', 'phone', 'phone_us', '(415) 555-2671'],
  ['cell 415-555-2671', 'phone', 'phone_us', '415-555-2671'],
  ['London 020 7946 0958', 'phone', 'phone_national', '020 7946 0958'],
  ['Paris 06 12 34 56 78', 'phone', 'phone_national', '06 12 34 56 78'],
  ['card 4111 1111 1111 1111 exp', 'card', 'card', '4111 1111 1111 1111'],
  ['mc 5555-5555-5555-4444', 'card', 'card', '5555-5555-5555-4444'],
  ['amex 378282246310005', 'card', 'card', '378282246310005'],
  ['discover:6011111111111117', 'card', 'card', '6011111111111117'],
  ['IBAN GB82 WEST 1234 5698 7654 32.', 'iban', 'iban', 'GB82 WEST 1234 5698 7654 32'],
  ['DE89370400440532013000', 'iban', 'iban', 'DE89370400440532013000'],
  ['FR14 2004 1010 0505 0001 3M02 606', 'iban', 'iban', 'FR14 2004 1010 0505 0001 3M02 606'],
  ['ssn 123-45-6789', 'national_id', 'us_ssn', '123-45-6789'],
  ['NI: AB 12 34 56 C', 'national_id', 'uk_nino', 'AB 12 34 56 C'],
  ['NI: JG103759A', 'national_id', 'uk_nino', 'JG103759A'],
  ['DNI 12345678Z', 'national_id', 'es_dni', '12345678Z'],
  ['NIE X1234567L', 'national_id', 'es_dni', 'X1234567L'],
  ['SIN 130 692 544', 'national_id', 'ca_sin', '130 692 544'],
  ['key=sk-proj-abcdefghijklmnopqrstuvwx1234', 'secret', 'api_key', 'sk-proj-abcdefghijklmnopqrstuvwx1234'],
  [
    'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345',
    'secret',
    'api_key',
    'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  ],
  ['aws AKIAIOSFODNN7EXAMPLE', 'secret', 'aws_access_key', 'AKIAIOSFODNN7EXAMPLE'],
  [
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789 token',
    'secret',
    'github_token',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  ],
  ['slack xoxb-123456789012-abcdefghijkl', 'secret', 'slack_token', 'xoxb-123456789012-abcdefghijkl'],
  [`Authorization: Bearer ${JWT}`, 'secret', 'jwt', JWT],
  [`key:\n${PEM}\nend`, 'secret', 'private_key', PEM],
];

const NEGATIVES: [string, string][] = [
  ['plain order number', 'order 12345678 shipped'],
  ['ISO date', 'on 2024-01-15 at 10:30'],
  ['version string', 'upgrade to 1.2.3 or 10.0.0.1'],
  ['thousands', 'revenue of 1,234,567 and 3.14159'],
  ['card failing Luhn', 'card 4111 1111 1111 1112'],
  ['card-like with mixed separators', '4111-1111 1111-1111'],
  ['IBAN with a wrong check', 'GB82 WEST 1234 5698 7654 33'],
  ['IBAN with a wrong length', 'DE8937040044053201300'],
  ['SSN area 000', '000-12-3456'],
  ['SSN area 666', '666-12-3456'],
  ['SSN area 9xx', '912-34-5678'],
  ['SSN group 00', '123-00-4567'],
  ['SSN serial 0000', '123-45-0000'],
  ['NINO with a never-issued prefix', 'BG 12 34 56 A'],
  ['NINO with an unused letter', 'QQ 12 34 56 A'],
  ['DNI with a wrong letter', '12345678A'],
  ['SIN failing Luhn', '130 692 545'],
  ['short sk- word', 'the task-management-overview and sk-short'],
  ['too short AWS id', 'AKIA1234'],
  ['email without a domain', 'user@localhost and @handle'],
  ['short plus number', 'rated +5 stars, +12'],
  ['timestamp', 'at 1700000000000 ms'],
  ['hex hash', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8'],
];

describe('detectSensitive', () => {
  it.each(POSITIVES)('finds %j', (text, kind, detail, found) => {
    const spans = detectSensitive(text);
    expect(spans.map((s) => ({ kind: s.kind, detail: s.detail, text: text.slice(s.start, s.end) }))).toEqual([
      { kind, detail, text: found },
    ]);
  });

  it.each(NEGATIVES)('ignores %s', (_name, text) => {
    expect(detectSensitive(text)).toEqual([]);
  });

  it('finds several kinds in one text, in order, without overlaps', () => {
    const text =
      'Alice (alice@example.com, +44 20 7946 0958) paid with 4111111111111111 from DE89370400440532013000.';
    const spans = detectSensitive(text);
    expect(spans.map((s) => s.kind)).toEqual(['email', 'phone', 'card', 'iban']);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
    expect(sensitiveKinds(spans)).toEqual(['email', 'phone', 'card', 'iban']);
  });

  it('gives the same answer when called repeatedly (no state leaks between calls)', () => {
    const text = 'a@example.com and b@example.org';
    expect(detectSensitive(text)).toEqual(detectSensitive(text));
    expect(detectSensitive(text)).toHaveLength(2);
  });

  it('scans long inputs without personal data and finds a needle at the end', () => {
    const hay = `${'lorem ipsum dolor sit amet 12345 '.repeat(3000)}${'x'.repeat(50_000)}`;
    expect(detectSensitive(hay)).toEqual([]);
    expect(detectSensitive(`${hay} bob@example.com`).map((s) => s.kind)).toEqual(['email']);
  });
});

describe('checksums', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['', false],
    ['12a4', false],
  ])('Luhn %s → %s', (digits, ok) => expect(passesLuhn(digits)).toBe(ok));

  it.each([
    ['GB82WEST12345698765432', true],
    ['gb82 west 1234 5698 7654 32', true],
    ['NO9386011117947', true],
    ['GB82WEST12345698765431', false],
    ['XX00', false],
  ])('IBAN %s → %s', (iban, ok) => expect(isValidIban(iban)).toBe(ok));
});

describe('detectSensitive on hostile input', () => {
  // Inputs built to make a naive pattern backtrack; each must finish (the test timeout is the guard).
  it.each([
    ['a long digit run', '1'.repeat(100_000)],
    ['many plus signs', '+1 2 3 4 5 6 7 8 9 0 '.repeat(5_000)],
    ['dots before one @', `${'a.'.repeat(50_000)}@`],
    ['a domain that never ends', `x@${'a-'.repeat(50_000)}`],
    ['private-key headers without an end', '-----BEGIN PRIVATE KEY-----\n'.repeat(3_000)],
    ['IBAN-like groups', `GB82 ${'ABCD '.repeat(20_000)}`],
  ])('%s', (_name, text) => {
    expect(detectSensitive(text)).toEqual([]);
  });
});
