import { prepareText } from '../language/prepare';
import { LEXICON, LEXICON_ENTRIES, conceptOf, toConcepts } from './concepts';

const stemsOf = (text: string, lang: 'fr' | 'en') => prepareText(text, lang).stems;
const jaccard = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a);
  const right = new Set(b);
  const shared = [...left].filter((item) => right.has(item)).length;
  const union = new Set([...left, ...right]).size;
  return union === 0 ? 0 : shared / union;
};
const overlap = (french: string, english: string) => ({
  before: jaccard(stemsOf(french, 'fr'), stemsOf(english, 'en')),
  after: jaccard(toConcepts(stemsOf(french, 'fr')), toConcepts(stemsOf(english, 'en'))),
});

// Each pair is annotated with the Jaccard overlap of its stem sets (before) and concept sets (after).
const SAME_COMPLAINT: [french: string, english: string][] = [
  // 0.20 -> 1.00
  ['Paiement refusé au 3-D Secure', 'Payment declined at 3-D Secure'],
  // 0.00 -> 0.75
  ["Je n'ai pas reçu mon e-billet par e-mail", 'I did not receive my e-ticket by email'],
  // 0.11 -> 0.67
  [
    'Toujours pas reçu le remboursement de mon train annulé',
    'Still not received the refund for my cancelled train',
  ],
  // 0.00 -> 0.80
  ["L'appli plante quand j'ouvre mes billets", 'The app crashes when I open my tickets'],
  [
    // 0.07 -> 0.75
    'Impossible de me connecter à mon compte, le mail de réinitialisation du mot de passe n’arrive jamais',
    'Cannot log in to my account, the password reset email never arrives',
  ],
  // 0.00 -> 0.60
  ['Le site est très lent au moment du paiement', 'The website is very slow at payment'],
  // 0.13 -> 0.60
  ['Aucune assistance fauteuil roulant à la gare', 'No wheelchair assistance at the station'],
  // 0.00 -> 0.50
  [
    'Le prix a augmenté entre la recherche et le paiement',
    'The price went up between the search and the payment',
  ],
  [
    // 0.09 -> 0.71
    'Mon train avait deux heures de retard, je demande une indemnisation',
    'My train was two hours late, I am requesting compensation',
  ],
  // 0.00 -> 1.00
  ["Impossible d'échanger mon billet dans l'application", 'Unable to exchange my ticket in the app'],
  // 0.20 -> 1.00
  ['Ma place réservée était occupée', 'My reserved seat was occupied'],
  // 0.13 -> 0.80
  [
    'Grève : mon train est supprimé, comment être remboursé ?',
    'Strike: my train is cancelled, how do I get a refund?',
  ],
  // 0.00 -> 0.67
  ['Le contrôleur a été très désagréable', 'The conductor was very rude'],
  // 0.20 -> 1.00
  ['Mes bagages ont été perdus dans le train', 'My luggage was lost on the train'],
  // 0.17 -> 0.75
  ['Le code promo ne fonctionne pas', 'The promo code does not work'],
  // 0.00 -> 1.00
  ['Impossible de télécharger la facture de ma commande', 'Unable to download the invoice for my order'],
  // 0.00 -> 0.50
  ['J’ai été débité deux fois pour la même réservation', 'I was charged twice for the same booking'],
  // 0.10 -> 0.67
  [
    'Correspondance ratée à cause du retard du premier train',
    'Missed connection because the first train was delayed',
  ],
];

// All 0.00 -> 0.00.
const DIFFERENT_COMPLAINTS: [french: string, english: string][] = [
  ['Toujours pas reçu mon remboursement', 'No wheelchair assistance at the station'],
  ["L'appli plante au démarrage", 'Strike again, no train this morning'],
  ['Mot de passe oublié, le lien ne marche pas', 'My luggage was stolen on board'],
  ['Le prix a encore augmenté', 'The conductor was very rude'],
  ["Je n'ai pas reçu mon e-billet", 'The toilets were dirty and the air conditioning broken'],
  ['Ma place réservée était occupée', 'Payment declined at 3-D Secure'],
  ['Le contrôleur était désagréable', 'The app crashes when I open my tickets'],
  ['Pas de wifi à bord et aucune prise électrique', 'Refund for my cancelled train still not received'],
];

describe('bilingual concepts', () => {
  it('gives no stem and no phrase to two concepts', () => {
    const claims = new Map<string, Set<string>>();
    for (const { concept, stems } of LEXICON_ENTRIES) {
      const key = stems.join(' ');
      if (key === '') continue;
      claims.set(key, (claims.get(key) ?? new Set()).add(concept));
    }
    const contested = [...claims]
      .filter(([, concepts]) => concepts.size > 1)
      .map(([key, concepts]) => `${key}: ${[...concepts].join(' ')}`);
    expect(contested).toEqual([]);
  });

  it('has a French and an English stem for every concept, and no dead word', () => {
    const names = LEXICON.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      const entries = LEXICON_ENTRIES.filter(
        (entry) => entry.concept === `~${name}` && entry.stems.length > 0,
      );
      expect([name, entries.some((entry) => entry.lang === 'fr')]).toEqual([name, true]);
      expect([name, entries.some((entry) => entry.lang === 'en')]).toEqual([name, true]);
    }
    // A stop word yields no stem: better out of the lexicon than silently dead in it.
    expect(LEXICON_ENTRIES.filter((entry) => entry.stems.length === 0).map((entry) => entry.text)).toEqual(
      [],
    );
  });

  it('maps domain stems to a concept and leaves other stems alone', () => {
    expect(conceptOf(stemsOf('remboursée', 'fr')[0])).toBe('~refund');
    expect(conceptOf(stemsOf('refunded', 'en')[0])).toBe('~refund');
    expect(conceptOf('zzz')).toBe('zzz');
    expect(toConcepts(['rembours', 'zzz', 'refund'])).toEqual(['~refund', 'zzz', '~refund']);
    expect(toConcepts([])).toEqual([]);
  });

  it('reads phrases as one concept, keeping the length', () => {
    expect(toConcepts(stemsOf('mon mot de passe oublié', 'fr'))).toEqual([
      '~password',
      '~password',
      '~forgot',
    ]);
    expect(toConcepts(stemsOf('le service client', 'fr'))).toEqual([
      '~customer-service',
      '~customer-service',
    ]);
    expect(toConcepts(stemsOf('customer service', 'en'))).toEqual(['~customer-service', '~customer-service']);
    // Outside the phrase, each word keeps its own concept.
    expect(toConcepts(stemsOf('un mot gentil', 'fr'))).toEqual(['mot', '~kind']);
  });

  it('leaves false friends out', () => {
    // French "car" is "because", "délai" a time limit, not a delay; "charg" is loading in French
    // and debited in English, "complet" sold out in French and done in English.
    expect(conceptOf(stemsOf('car', 'fr')[0])).toBe(stemsOf('car', 'fr')[0]);
    expect(conceptOf(stemsOf('délai', 'fr')[0])).not.toBe('~delay');
    expect(conceptOf(stemsOf('chargement', 'fr')[0])).toBe(stemsOf('chargement', 'fr')[0]);
    expect(conceptOf(stemsOf('charged', 'en')[0])).toBe(stemsOf('charged', 'en')[0]);
    expect(conceptOf(stemsOf('completed', 'en')[0])).toBe(stemsOf('completed', 'en')[0]);
  });

  it.each(SAME_COMPLAINT)('brings "%s" and "%s" together', (french, english) => {
    expect(overlap(french, english).after).toBeGreaterThanOrEqual(0.5);
  });

  it.each(DIFFERENT_COMPLAINTS)('keeps "%s" and "%s" apart', (french, english) => {
    expect(overlap(french, english).after).toBeLessThan(0.2);
  });
});
