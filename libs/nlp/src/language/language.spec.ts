import { detectLanguage } from './language';
import { prepareText } from './prepare';

describe('detectLanguage', () => {
  it.each([
    ['paiement refusé 3d secure', 'fr'],
    ["L'appli plante quand je choisis ma place", 'fr'],
    ['bjr, mon billet n est jamais arrivé', 'fr'],
    ['website error 500', 'en'],
    ['My e-ticket never arrived, booking 123456', 'en'],
    ["the app doesn't open since the update", 'en'],
    ['Я не получил билет', 'other'],
    ['チケットが届きません', 'other'],
    ['ok', 'other'],
  ])('%s -> %s', (text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });
});

describe('prepareText', () => {
  it('takes URLs, mentions, emoji and numbers out, stems French and drops stop words', () => {
    const prepared = prepareText(
      "@LoveRail l'appli plante 😡 depuis le 12/11, voir https://example.com/x remboursements",
      'fr',
    );
    expect(prepared.mentions).toEqual(['@LoveRail']);
    expect(prepared.urls).toEqual(['https://example.com/x']);
    expect(prepared.emoji).toEqual(['😡']);
    expect(prepared.numbers).toEqual(['12', '11']);
    expect(prepared.tokens).toEqual(['appli', 'plante', 'depuis', 'le', 'voir', 'remboursements']);
    expect(prepared.stems).toEqual(['appli', 'plant', 'depuis', 'voir', 'rembours']);
  });

  it('makes accented and plain spellings meet', () => {
    expect(prepareText('remboursée', 'fr').stems).toEqual(prepareText('rembourse', 'fr').stems);
  });

  it('stems English', () => {
    expect(prepareText('The refunds were refunded', 'en').stems).toEqual(['refund', 'refund']);
  });
});
