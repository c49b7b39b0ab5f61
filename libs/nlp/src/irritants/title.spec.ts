import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectLanguage } from '../language/language';
import { TitleBackground, titleOf } from './title';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DATASETS = join(ROOT, '..', 'shared', 'datasets');
const jsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, string>);

// The production weighting's fixed half: how distinctive a word is among the shipped examples.
const shipped = jsonl(join(ROOT, 'libs', 'nlp', 'src', 'taxonomy', 'training-set.jsonl'));
const { weight } = TitleBackground.fromTexts(
  shipped.map(({ text }) => ({ text, lang: detectLanguage(text).lang })),
);

const STOP_EDGES =
  /^(?:the|a|an|and|of|to|my|i|is|le|la|les|de|du|des|et|à|au|je|mon|ma)\s|\s(?:the|a|an|and|of|to|my|is|le|la|les|de|du|des|et|à|au)$/;
const flat = (text: string) => text.toLowerCase().replace(/\s+/g, ' ');

/** What every title must be: short, words customers wrote in that order, no dangling stop word. */
function expectReadable(title: string, texts: readonly string[]): void {
  expect(title.split(' ').length).toBeLessThanOrEqual(8);
  expect(title).toBe(title.toLowerCase());
  expect(title).not.toMatch(STOP_EDGES);
  expect(texts.some((text) => flat(text).includes(title))).toBe(true);
}

describe('titleOf', () => {
  it('is null when no verbatim has a word to say it with', () => {
    expect(titleOf([])).toBeNull();
    expect(
      titleOf([
        { text: '  ', lang: 'fr' },
        { text: '[EMAIL] 0612345678', lang: 'fr' },
      ]),
    ).toBeNull();
  });

  it('says a French 3-D Secure irritant in its customers’ words, accents and elisions kept, without greetings', () => {
    const texts = [
      'Bonjour, paiement refusé à la validation 3-D Secure sur mobile, ma banque dit que tout va bien. Merci',
      'Pareil que tout le monde ici, paiement refusé à la validation 3-D Secure sur mobile. Sur PC nickel.',
      'Bonsoir, encore un paiement refusé à la validation 3-D Secure ce matin sur l’appli, commande 4815162342',
      'Impossible de payer mon billet : paiement refusé au moment du 3-D Secure, j’ai essayé trois fois',
      'Mon paiement est refusé après la validation 3-D Secure de ma banque. Cordialement, Jeanne Martin',
    ];
    const title = titleOf(
      texts.map((text) => ({ text, lang: 'fr' })),
      { weight },
    );
    expect(title).toMatchObject({ lang: 'fr', other: null });
    expect(title?.title).toMatch(/paiement refusé/);
    expect(title?.title).toMatch(/3-d secure/);
    expect(title?.title).not.toMatch(/bonjour|bonsoir|merci|matin|4815162342/);
    expectReadable(title?.title ?? '', texts);
    // The most representative verbatim, without its closing and signature.
    expect(texts.map((text) => text.replace(/ Cordialement.*$/, ''))).toContain(title?.quote);
    expect(title?.quote).not.toMatch(/Jeanne/);
  });

  it('keeps French elisions and negations: “pas reçu”, not “reçu”', () => {
    const texts = [
      'Je n’ai toujours pas reçu mon e-billet, commande [BOOKING_REF]',
      'je n’ai pas reçu mon e-billet après le paiement, rien dans les spams',
      'Toujours pas reçu mon e-billet pour le train de demain !!',
      "Bonjour je n'ai pas reçu l'e-billet de ma réservation [BOOKING_REF], pouvez-vous le renvoyer ?",
    ];
    const title = titleOf(
      texts.map((text) => ({ text, lang: 'fr' })),
      { weight },
    );
    expect(title?.title).toMatch(/pas reçu (?:mon |l’|l')?e-billet/);
    expect(title?.title).not.toMatch(/booking|\[/i);
    expectReadable(title?.title ?? '', texts);
  });

  it('does not let generic words carry an English airline irritant (“flight”, “thanks”)', () => {
    const texts = [
      '@SkyAir thanks for nothing, on hold for hours to rebook my cancelled flight',
      '@SkyAir flight Cancelled Flightled, been on hold for hours to rebook. Thanks a lot',
      'my flight got cancelled and I have been on hold for 3 hours trying to rebook @SkyAir',
      '@SkyAir why am I on hold for hours just to rebook a flight you cancelled? thanks',
      '@SkyAir great flight crew today, thanks!',
      '@SkyAir on hold for hours to rebook, flight tomorrow morning, please help',
    ];
    const title = titleOf(
      texts.map((text) => ({ text, lang: 'en' })),
      { weight },
    );
    expect(title?.title).toMatch(/hold for hours to rebook/);
    expect(title?.title).not.toMatch(/^(?:flight|thanks)/);
    expectReadable(title?.title ?? '', texts);
  });

  it('titles in the main language and shows the other language beside it', () => {
    const french = [
      'Remboursement de mon train annulé toujours pas reçu après trois semaines',
      'Mon train a été annulé, remboursement de mon train annulé jamais arrivé',
      'Toujours aucun remboursement de mon train annulé du 24 octobre',
    ];
    const english = [
      'Still no refund for my cancelled train after three weeks',
      'Refund for my cancelled train never arrived',
    ];
    const title = titleOf(
      [...french.map((text) => ({ text, lang: 'fr' })), ...english.map((text) => ({ text, lang: 'en' }))],
      { weight },
    );
    expect(title?.lang).toBe('fr');
    expect(title?.title).toMatch(/remboursement de mon train annulé/);
    expect(title?.other?.lang).toBe('en');
    expect(title?.other?.title).toMatch(/refund for my cancelled train/);
    expectReadable(title?.other?.title ?? '', english);
  });

  it('never shows redaction placeholders, mentions, links or reference numbers', () => {
    const texts = [
      'Contact me at [EMAIL] about the double charge on my card, ref 99812736451 https://x.example/a',
      '@Bank double charge on my card again, [PHONE]',
      'There is a double charge on my card for order 77261534',
    ];
    const title = titleOf(
      texts.map((text) => ({ text, lang: 'en' })),
      { weight },
    );
    expect(title?.title).toBe('double charge on my card');
    expect(title?.quote).not.toMatch(/@|example\.com/);
  });

  const banking = join(DATASETS, 'banking77_en.jsonl');
  (existsSync(banking) ? it : it.skip)(
    'gives readable titles to Banking77 intents (real customer queries)',
    () => {
      const rows = jsonl(banking).filter((row) => row.split === 'test');
      const expectations: Record<string, RegExp> = {
        card_arrival: /card/,
        lost_or_stolen_phone: /phone/,
        passcode_forgotten: /passcode/,
        declined_transfer: /transfer.*declined|declined.*transfer/,
        transaction_charged_twice: /charged twice|twice/,
        terminate_account: /account/,
        pending_cash_withdrawal: /pending cash withdrawal|cash withdrawal.*pending/,
        exchange_rate: /exchange rate/,
      };
      for (const [intent, expected] of Object.entries(expectations)) {
        const texts = rows.filter((row) => row.label === intent).map((row) => row.text);
        const title = titleOf(
          texts.map((text) => ({ text, lang: 'en' })),
          { weight },
        );
        expect({ intent, title: title?.title }).toEqual({ intent, title: expect.stringMatching(expected) });
        expectReadable(title?.title ?? '', texts);
        expect(texts.map((text) => text.replace(/\s+/g, ' ').trim())).toContain(title?.quote);
      }
    },
  );

  const bitext = join(DATASETS, 'bitext_customer_support_en.jsonl');
  (existsSync(bitext) ? it : it.skip)('gives readable titles to Bitext intents', () => {
    const rows = jsonl(bitext).filter((row) => row.split === 'test');
    const expectations: Record<string, RegExp> = {
      newsletter_subscription: /newsletter/,
      change_shipping_address: /address/,
      get_invoice: /invoice/,
      contact_human_agent: /agent|human|person/,
    };
    for (const [intent, expected] of Object.entries(expectations)) {
      const texts = rows.filter((row) => row.intent === intent).map((row) => row.text);
      const title = titleOf(
        texts.map((text) => ({ text, lang: 'en' })),
        { weight },
      );
      expect({ intent, title: title?.title }).toEqual({ intent, title: expect.stringMatching(expected) });
      expectReadable(title?.title ?? '', texts);
    }
  });

  it('titles a single verbatim by its most distinctive words, and works without a background', () => {
    const text = 'L’appli plante quand je choisis ma place (Android), c’est pénible';
    const title = titleOf([{ text, lang: 'fr' }]);
    expect(title?.title).toMatch(/appli plante/);
    expect(title?.quote).toBe(text);
    expectReadable(title?.title ?? '', [text]);
  });
});
