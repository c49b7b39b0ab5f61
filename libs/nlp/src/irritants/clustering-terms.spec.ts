import { clusteringTerms, normaliseForClustering } from './clustering-terms';
import { IdfTable, languagesMayMeet } from './similarity';
import { IrritantAssigner } from './assigner';
import { clusteringVector } from './clustering-terms';

const words = (text: string, lang: 'fr' | 'en') =>
  clusteringTerms(text, lang).terms.filter((term) => !term.includes(' '));

describe('clustering terms', () => {
  it('sets references, order ids, dates, times and amounts aside', () => {
    const normalised = normaliseForClustering(
      'Order #QX7-55821 of 12/03/2026 at 14h30, 45,90 € and $120 charged twice on March 3rd, ref {{Order Number}} [email]',
    );
    expect(normalised).not.toMatch(/\d|QX7|March|Order Number|email|€|\$/);
    expect(words('Commande AB12CD du 3 mars, 30 euros débités deux fois', 'fr')).toEqual(
      words('Commande ZZ9-771 du 14 juin, 12,50 € débités deux fois', 'fr'),
    );
  });

  it('drops the words every customer-service message has, keeps the topic, and adds neighbouring pairs', () => {
    const { terms } = clusteringTerms(
      'Hello, could you please help me? My card has not arrived, thanks',
      'en',
    );
    expect(terms).toEqual(expect.arrayContaining(['~card', '~arrival', 'not ~arrival']));
    expect(terms.join(' ')).not.toMatch(/hello|thank|pleas|help|could/);
    expect(words('Bonjour, je voudrais savoir pourquoi ma carte est bloquée, merci', 'fr')).toEqual([
      'pourquoi',
      '~card',
      '~blocked',
    ]);
  });

  it("leaves out closings, signers and device footers: one customer's signature is no topic", () => {
    expect(words('Ma carte est bloquée depuis hier.\nCordialement,\nJeanne Martin', 'fr')).toEqual(
      words('Ma carte est bloquée depuis hier.', 'fr'),
    );
    const { terms } = clusteringTerms(
      'My card has not arrived yet.\nBest regards,\nEmily Clarke\nSent from my iPhone',
      'en',
    );
    expect(terms.join(' ')).not.toMatch(/emili|clark|iphon|sent|regard/);
    expect(terms).toEqual(expect.arrayContaining(['~card', '~arrival']));
    // A message that is nothing but a closing keeps its words: nothing else would place it.
    expect(words('Cordialement, Jeanne Martin', 'fr').length).toBeGreaterThan(0);
  });

  it('lets French and English meet on two distinctive concepts, never on generic ones alone', () => {
    const fr = new Set(words('Une heure d’attente à l’hôtel pour récupérer nos bagages', 'fr'));
    const en = new Set(words('Waited an hour for our luggage', 'en'));
    expect([...en].every((term) => fr.has(term))).toBe(true);
    expect(languagesMayMeet('en', en, 'fr', fr)).toBe(false);
    const refundFr = new Set(words('Remboursement de mon train annulé jamais reçu', 'fr'));
    const refundEn = new Set(words('Refund for my cancelled train never received', 'en'));
    expect(languagesMayMeet('en', refundEn, 'fr', refundFr)).toBe(true);
    // Within one language, or with an unknown one, nothing more is asked.
    expect(languagesMayMeet('en', en, 'en', new Set())).toBe(true);
    expect(languagesMayMeet('other', en, 'fr', fr)).toBe(true);

    const assigner = new IrritantAssigner([], 0.3);
    const place = (text: string, lang: 'fr' | 'en') => {
      const read = clusteringVector(text, lang, IdfTable.uniform());
      return assigner.place(read.vector, read.terms, read.surfaces, lang).key;
    };
    const hotel = place('Une heure d’attente à l’hôtel pour récupérer nos bagages', 'fr');
    expect(place('Waited an hour for our luggage', 'en')).not.toBe(hotel);
    const refund = place('Remboursement de mon train annulé jamais reçu', 'fr');
    expect(place('Refund for my cancelled train never received', 'en')).toBe(refund);
  });
});
