import { highlight, searchTerms } from '../apps/web/src/pages/explorer/highlight';

const marked = (text: string, query: string) =>
  highlight(text, query)
    .filter((piece) => piece.match)
    .map((piece) => piece.text);

describe('search highlighting', () => {
  it('reads the search syntax: phrases, excluded words and `or` left out', () => {
    expect(searchTerms('"carte bancaire" refus -mobile or paiement')).toEqual([
      'carte bancaire',
      'refus',
      'paiement',
    ]);
  });

  it('marks words whatever their case, accents and ending', () => {
    expect(marked('Paiement refusé, deux paiements REFUSES', 'paiement refuse')).toEqual([
      'Paiement',
      'refusé',
      'paiements',
      'REFUSES',
    ]);
    expect(marked('My refunds never came', 'refund')).toEqual(['refunds']);
  });

  it('marks a phrase as one piece and leaves the words inside other words alone', () => {
    expect(marked('La carte bancaire est refusée; cartes et bancaires', '"carte bancaire"')).toEqual([
      'carte bancaire',
    ]);
    expect(marked('unpaid', 'paid')).toEqual([]);
  });

  it('gives back the whole text, markup included, as text', () => {
    const text = 'refus <img src=x onerror="alert(1)"> refus';
    expect(
      highlight(text, 'refus')
        .map((piece) => piece.text)
        .join(''),
    ).toBe(text);
    expect(highlight(text, '')).toEqual([{ text, match: false }]);
    expect(highlight(text, '-refus')).toEqual([{ text, match: false }]);
  });
});
