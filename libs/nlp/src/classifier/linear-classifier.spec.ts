import { LinearTextClassifier, fitTemperature } from './linear-classifier';
import { evaluate, expectedCalibrationError } from './evaluation';

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

describe('calibrated confidence', () => {
  it('fits the temperature that makes held-out answers most likely, and keeps it in the artefact', () => {
    const calibrated = LinearTextClassifier.train(examples, { calibrationFolds: 3 });
    expect(calibrated.temperature).toBeGreaterThan(0);
    expect(LinearTextClassifier.deserialize(calibrated.serialize()).temperature).toBeCloseTo(
      calibrated.temperature,
      5,
    );
    const text = 'my card was refused when paying';
    expect(LinearTextClassifier.deserialize(calibrated.serialize()).classify(text)).toEqual(
      calibrated.classify(text),
    );
  });

  it('finds a sharper temperature when held-out margins are right, a softer one when they are not', () => {
    const margins = Array.from({ length: 200 }, (_, i) => Float32Array.from(i % 2 ? [1, 0] : [0, 1]));
    const right = margins.map((_, i) => (i % 2 ? 0 : 1));
    const half = margins.map((_, i) => (i % 4 < 2 ? (i % 2 ? 0 : 1) : i % 2 ? 1 : 0));
    expect(fitTemperature(margins, right)).toBeGreaterThan(50);
    expect(fitTemperature(margins, half)).toBeLessThan(0.1);
    // 80% right at a margin of 1: the calibrated confidence is 0.8.
    const mostly = margins.map((_, i) => (i % 10 < 8 ? (i % 2 ? 0 : 1) : i % 2 ? 1 : 0));
    const scale = fitTemperature(margins, mostly);
    expect(1 / (1 + Math.exp(-scale))).toBeCloseTo(0.8, 2);
  });

  it('measures the expected calibration error', () => {
    const perfect = [
      ...Array.from({ length: 8 }, () => ({ confidence: 0.8, correct: true })),
      ...Array.from({ length: 2 }, () => ({ confidence: 0.8, correct: false })),
    ];
    expect(expectedCalibrationError(perfect)).toBeCloseTo(0, 5);
    expect(expectedCalibrationError(perfect.map((one) => ({ ...one, confidence: 0.99 })))).toBeCloseTo(
      0.19,
      5,
    );
  });
});
