import { LinearTextClassifier } from './linear-classifier';
import { evaluate } from './evaluation';

const examples = [
  ...[
    'payment refused on mobile',
    'card declined at checkout',
    'paiement refusé sur mobile',
    'ma carte est refusée au paiement',
    'the payment fails after 3-D Secure',
    'paiement bloqué à la validation bancaire',
  ].map((text) => ({ text, label: 'payment' })),
  ...[
    'still no refund for my cancelled train',
    'remboursement jamais reçu',
    'where is my refund',
    'je veux être remboursé de mon billet annulé',
    'refund requested three weeks ago',
    'toujours pas de remboursement',
  ].map((text) => ({ text, label: 'refund' })),
  ...[
    'the app crashes when I choose a seat',
    "l'appli plante au choix de la place",
    'app closes on Android',
    "l'application se ferme toute seule",
    'crash on the seat map',
    'appli qui crash sur iPhone',
  ].map((text) => ({ text, label: 'mobile_app' })),
];

describe('LinearTextClassifier', () => {
  const model = LinearTextClassifier.train(examples);

  it('learns the categories of its training set, in French and English', () => {
    expect(model.classify('my card was refused when paying').label).toBe('payment');
    expect(model.classify('remboursement toujours pas reçu pour mon train').label).toBe('refund');
    expect(model.classify("l'appli plante encore").label).toBe('mobile_app');
  });

  it('gives a confidence between 0 and 1 and a runner-up', () => {
    const prediction = model.classify('refund');
    expect(prediction.confidence).toBeGreaterThan(0);
    expect(prediction.confidence).toBeLessThanOrEqual(1);
    expect(prediction.runnerUp).not.toBe(prediction.label);
    expect(model.classify('').confidence).toBeLessThan(0.6);
  });

  it('survives a round trip through its artefact unchanged', () => {
    const restored = LinearTextClassifier.deserialize(model.serialize());
    for (const { text } of examples) {
      expect(Array.from(restored.scores(text))).toEqual(Array.from(model.scores(text)));
    }
    expect(() =>
      LinearTextClassifier.deserialize(Buffer.concat([model.serialize(), Buffer.from([0])])),
    ).toThrow(/trailing/);
  });

  it('trains the same model twice from the same data (seeded)', () => {
    const again = LinearTextClassifier.train(examples);
    expect(again.serialize().equals(model.serialize())).toBe(true);
  });

  it('refuses to train on nothing, or on one label', () => {
    expect(() => LinearTextClassifier.train([])).toThrow(/no training examples/);
    expect(() => LinearTextClassifier.train([{ text: 'a', label: 'x' }])).toThrow(/two labels/);
  });

  it('reports accuracy and per-class metrics', () => {
    const result = evaluate(model, [
      { text: 'carte refusée', label: 'payment' },
      { text: 'refund please', label: 'refund' },
      { text: 'completely unrelated words', label: 'refund' },
    ]);
    expect(result.perClass.map((metrics) => metrics.label)).toEqual(['payment', 'refund']);
    expect(result.accuracy).toBeGreaterThanOrEqual(2 / 3);
  });
});
