import { DEFAULT_TAXONOMY } from '@app/nlp';
import { topicsOf } from './topics';

describe('topics of a journey step, from its name', () => {
  it('reads the names people give booking steps', () => {
    expect([...topicsOf('pay', DEFAULT_TAXONOMY)]).toEqual(['payment']);
    expect([...topicsOf('book', DEFAULT_TAXONOMY)]).toEqual(['search_booking']);
    expect([...topicsOf('e-ticket', DEFAULT_TAXONOMY)]).toEqual(['eticket_delivery']);
    expect([...topicsOf('Paiement 3-D Secure', DEFAULT_TAXONOMY)]).toEqual(['payment']);
  });

  it('finds no topic in a name that has none', () => {
    expect(topicsOf('home', DEFAULT_TAXONOMY).size).toBe(0);
    expect(topicsOf('step 1', DEFAULT_TAXONOMY).size).toBe(0);
    expect(topicsOf('', DEFAULT_TAXONOMY).size).toBe(0);
  });
});
