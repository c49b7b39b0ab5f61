import { prepareText } from '../language/prepare';
import {
  IdfTable,
  JOIN_THRESHOLD,
  addToCentroid,
  emptyCentroid,
  labelOf,
  similarity,
  termVector,
} from './similarity';

const background = IdfTable.fromDocuments(
  [
    'bonjour merci pour votre aide',
    'bonjour mon billet est toujours pas arrivé',
    'bonjour le site est lent',
    'merci beaucoup bonjour',
    'mon train a du retard',
  ].map((text) => prepareText(text, 'fr').stems),
);
const read = (text: string) => {
  const prepared = prepareText(text, 'fr');
  return { ...prepared, vector: termVector(prepared.stems, background) };
};

describe('irritant similarity', () => {
  it('brings rewordings of one complaint together, and keeps other topics apart', () => {
    const first = read('Paiement refusé à l’étape 3-D Secure, bonjour');
    const centroid = addToCentroid(emptyCentroid(), first.vector, first.stems, first.surfaces);
    expect(similarity(read('mon paiement est encore refusé au 3D Secure').vector, centroid)).toBeGreaterThan(
      JOIN_THRESHOLD,
    );
    expect(similarity(read('bonjour, le contrôleur était désagréable').vector, centroid)).toBeLessThan(
      JOIN_THRESHOLD,
    );
  });

  it('weighs common words less than distinctive ones', () => {
    expect(background.weight('bonjour')).toBeLessThan(background.weight('fauteuil'));
  });

  it('labels an irritant with its strongest words in the customers’ spelling', () => {
    let centroid = emptyCentroid();
    for (const text of [
      'Paiement refusé sur mobile',
      'paiement refusé encore',
      'refusé au paiement, bonjour',
    ]) {
      const verbatim = read(text);
      centroid = addToCentroid(centroid, verbatim.vector, verbatim.stems, verbatim.surfaces);
    }
    expect(centroid.size).toBe(3);
    expect(labelOf(centroid, 2).toLowerCase().split(', ').sort()).toEqual(['paiement', 'refusé']);
  });

  it('gives nothing in common a similarity of zero, and an empty centroid too', () => {
    expect(similarity(read('fauteuil roulant').vector, emptyCentroid())).toBe(0);
    expect(termVector([], background).size).toBe(0);
  });
});
