import fc from 'fast-check';
import { passesIbanChecksum, passesLuhn } from './checksums';
import { Redactor, redact } from './redact';

const luhnCheckDigit = (body: string): string => {
  for (let d = 0; d <= 9; d++) if (passesLuhn(body + d)) return String(d);
  throw new Error('unreachable');
};

/** A valid IBAN for a country and a BBAN, with its mod-97 check digits computed. */
function iban(country: string, bban: string): string {
  for (let check = 2; check <= 98; check++) {
    const candidate = `${country}${String(check).padStart(2, '0')}${bban}`;
    if (passesIbanChecksum(candidate)) return candidate;
  }
  throw new Error('unreachable');
}

const WORDS = [
  'bonjour',
  'mon',
  'billet',
  'train',
  'paiement',
  'refusé',
  'the',
  'ticket',
  'refund',
  'merci',
  'app',
  'crash',
  'à',
  'é',
  '€',
  '🙂',
  'TGV',
  '10h45',
  '129,90',
  '28/11/2026',
];
const prose = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((words) => words.join(' '));
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const group = (value: string, size: number, sep: string) =>
  value.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);

const validCard = fc
  .tuple(fc.constantFrom('4', '51', '37', '6011'), digits(11, 14), fc.constantFrom('', ' ', '-', '\u00a0'))
  .map(([prefix, body, sep]) => {
    const number = prefix + body;
    return group(number + luhnCheckDigit(number), 4, sep);
  });

const validIban = fc
  .oneof(
    digits(23, 23).map((bban) => iban('FR', bban)),
    digits(18, 18).map((bban) => iban('DE', bban)),
    fc
      .tuple(fc.constantFrom('WEST', 'BARC', 'NWBK'), digits(14, 14))
      .map(([bank, rest]) => iban('GB', bank + rest)),
  )
  .chain((value) => fc.constantFrom(value, group(value, 4, ' ')));

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._+-]{0,15}[a-z0-9]$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z]$/),
    fc.constantFrom('com', 'fr', 'co.uk', 'org'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`)
  .filter((value) => !value.includes('..'));

const phone = fc
  .tuple(fc.constantFrom('6', '7', '1', '9'), digits(8, 8), fc.constantFrom(' ', '.', '-', '', '\u00a0'))
  .chain(([first, rest, sep]) => {
    const pairs = group(rest, 2, sep);
    return fc.constantFrom(
      `0${first}${sep}${pairs}`,
      `+33${sep === '' ? '' : ' '}${first}${sep}${pairs}`,
      `0033 ${first} ${group(rest, 2, ' ')}`,
    );
  });

describe('redact', () => {
  it.each([
    ['Écrivez-moi à jeanne.dupont@example.com svp', 'Écrivez-moi à [EMAIL] svp'],
    ['Mon numéro : 06 12 34 56 78.', 'Mon numéro : [PHONE].'],
    ['call me on +44 20 7946 0958 or +1 (415) 555-0100', 'call me on [PHONE] or [PHONE]'],
    ['carte 4111 1111 1111 1111 refusée', 'carte [CARD] refusée'],
    ['IBAN FR76 3000 6000 0112 3456 7890 189 ok', 'IBAN [IBAN] ok'],
    ['virement vers DE89370400440532013000.', 'virement vers [IBAN].'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'le 28/11/2026 à 10:45',
    'payé 129,90 € le 2026-11-28',
    'TGV 6203 Paris-Lille, voiture 12 place 45',
    'commande 1234567890123456', // 16 digits failing Luhn: an order number, not a card
    'dossier QKZ7RT, facture 2026-000123',
  ])('keeps what is no personal data: %s', (input) => {
    expect(redact(input)).toBe(input);
  });

  it('redacts the installation’s own patterns, and placeholders are never matched again', () => {
    const redactor = new Redactor([{ kind: 'booking_ref', pattern: /\b[A-Z0-9]{6}\b/ }]);
    expect(redactor.redact('dossier QKZ7RT, mail a@b.fr')).toBe('dossier [BOOKING_REF], mail [EMAIL]');
    expect(redactor.redact('[EMAIL] [PHONE]')).toBe('[EMAIL] [PHONE]');
  });

  it('stays linear on hostile input', () => {
    const hostile = '1'.repeat(20_000) + 'x' + 'a'.repeat(20_000) + '@' + '.a'.repeat(5_000);
    expect(typeof redact(hostile)).toBe('string');
  });

  describe('properties', () => {
    const embedded = fc.oneof(validCard, validIban, email, phone);

    it('redacts 100% of embedded cards, IBANs, e-mails and phones', () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(prose, embedded), { minLength: 1, maxLength: 4 }),
          prose,
          (parts, tail) => {
            const text = parts.map(([before, secret]) => `${before} ${secret} `).join('') + tail;
            const output = redact(text);
            for (const [, secret] of parts) expect(output).not.toContain(secret);
          },
        ),
        { numRuns: 1_000 },
      );
    });

    it('keeps digit runs that fail the Luhn check', () => {
      fc.assert(
        // A run that starts with 00 is an international phone number (0033…), rightly redacted as one.
        fc.property(
          digits(13, 19).filter((value) => !passesLuhn(value) && !value.startsWith('00')),
          prose,
          (run, before) => {
            const text = `${before} ref ${run} merci`;
            expect(redact(text)).toContain(run);
          },
        ),
        { numRuns: 1_000 },
      );
    });

    it('is idempotent', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 200 }),
            fc.tuple(prose, embedded, prose).map((parts) => parts.join(' ')),
          ),
          (text) => {
            const once = redact(text);
            expect(redact(once)).toBe(once);
          },
        ),
        { numRuns: 1_000 },
      );
    });

    it('leaves text without personal data unchanged', () => {
      fc.assert(
        fc.property(prose, (text) => {
          expect(redact(text)).toBe(text);
        }),
        { numRuns: 500 },
      );
    });
  });
});
