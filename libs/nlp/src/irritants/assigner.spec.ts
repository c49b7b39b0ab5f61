import { prepareText } from '../language/prepare';
import { IrritantAssigner } from './assigner';
import {
  IdfTable,
  addAllToCentroid,
  addToCentroid,
  emptyCentroid,
  removeFromCentroid,
  similarity,
  termVector,
} from './similarity';
import { MIN_THRESHOLD_EVIDENCE, fitJoinThreshold } from './threshold';

const background = IdfTable.fromDocuments(
  ['bonjour merci', 'bonjour mon billet', 'le site est lent bonjour', 'mon train a du retard'].map(
    (text) => prepareText(text, 'fr').stems,
  ),
);
const read = (text: string) => {
  const prepared = prepareText(text, 'fr');
  return [termVector(prepared.stems, background), prepared.stems, prepared.surfaces] as const;
};

describe('IrritantAssigner', () => {
  it('starts an irritant for a new topic and sends rewordings to it', () => {
    const assigner = new IrritantAssigner([]);
    const first = assigner.place(...read('Paiement refusé au 3-D Secure'));
    const second = assigner.place(...read('mon paiement est encore refusé au 3-D Secure'));
    const other = assigner.place(...read('fauteuil roulant introuvable en gare'));
    expect(first).toMatchObject({ created: true });
    expect(second).toMatchObject({ key: first.key, created: false });
    expect(second.score).toBeGreaterThan(0.15);
    expect(other.key).not.toBe(first.key);
    expect(assigner.changes().map((change) => [change.key, change.centroid.size])).toEqual([
      [first.key, 2],
      [other.key, 1],
    ]);
  });

  it('joins existing irritants by id and reports only those it changed', () => {
    const [vector, stems, surfaces] = read('remboursement du billet annulé jamais reçu');
    const refund = { id: 'refund-id', centroid: addToCentroid(emptyCentroid(), vector, stems, surfaces) };
    const [v2, s2, f2] = read('fauteuil roulant');
    const access = { id: 'access-id', centroid: addToCentroid(emptyCentroid(), v2, s2, f2) };
    const assigner = new IrritantAssigner([refund, access]);
    expect(assigner.place(...read('toujours pas de remboursement pour mon billet annulé')).key).toBe(
      'refund-id',
    );
    expect(assigner.changes().map((change) => change.key)).toEqual(['refund-id']);
  });

  it('follows its threshold: a stricter one starts more irritants', () => {
    const texts = [
      'Paiement refusé au 3-D Secure',
      'paiement refusé sur mobile',
      'carte refusée au paiement',
      'paiement impossible 3-D Secure',
    ];
    const count = (threshold: number) => {
      const assigner = new IrritantAssigner([], threshold);
      texts.forEach((text) => assigner.place(...read(text)));
      return assigner.size;
    };
    expect(count(0.9)).toBe(texts.length);
    expect(count(0.05)).toBeLessThan(count(0.9));
  });

  it('settles a slot into the centroid the table gets: the stored one plus the batch, as addAllToCentroid sums it', () => {
    const texts = ['remboursement du billet annulé jamais reçu', 'billet annulé toujours pas remboursé'];
    const stored = texts
      .map((text) => read(text))
      .reduce(
        (centroid, [vector, stems, surfaces]) => addToCentroid(centroid, vector, stems, surfaces),
        emptyCentroid(),
      );
    const assigner = new IrritantAssigner([{ id: 'refund-id', centroid: stored }]);
    const batch = ['mon remboursement du billet annulé', 'billet annulé, remboursement refusé'].map(
      (text) => {
        const [vector, stems, surfaces] = read(text);
        expect(assigner.place(vector, stems, surfaces).key).toBe('refund-id');
        return { vector, terms: stems, surfaces };
      },
    );
    const expected = addAllToCentroid(stored, batch);
    const settled = assigner.settle('refund-id');
    expect(settled?.size).toBe(expected.size);
    expect(settled?.surfaces).toEqual(expected.surfaces);
    expect(Object.keys(settled?.terms ?? {}).sort()).toEqual(Object.keys(expected.terms).sort());
    for (const [term, weight] of Object.entries(expected.terms))
      expect(settled?.terms[term]).toBeCloseTo(weight, 12);
    expect(assigner.settle('unknown')).toBeUndefined();
  });

  it('places after an irritant is replaced in place exactly as an assigner built with the new centroid', () => {
    const centroidOf = (...texts: string[]) =>
      texts
        .map((text) => read(text))
        .reduce(
          (centroid, [vector, stems, surfaces]) => addToCentroid(centroid, vector, stems, surfaces),
          emptyCentroid(),
        );
    const refund = centroidOf('remboursement du billet annulé');
    const grown = centroidOf('remboursement du billet annulé', 'fauteuil roulant pour le remboursement');
    const access = centroidOf('fauteuil roulant introuvable en gare');
    const replaced = new IrritantAssigner([
      { id: 'refund-id', centroid: refund },
      { id: 'access-id', centroid: access },
    ]);
    replaced.upsert('refund-id', grown, null);
    replaced.upsert('access-id', access, null);
    const fresh = new IrritantAssigner([
      { id: 'refund-id', centroid: grown },
      { id: 'access-id', centroid: access },
    ]);
    for (const text of [
      'fauteuil roulant',
      'remboursement',
      'le fauteuil roulant du remboursement',
      'billet annulé',
      'gare introuvable',
    ]) {
      const a = replaced.place(...read(text));
      const b = fresh.place(...read(text));
      expect([a.key, a.created, a.score]).toEqual([b.key, b.created, b.score]);
    }
  });
});

describe('IrritantAssigner kept across batches', () => {
  /** A deterministic generator: the same cases on every run. */
  const random = (() => {
    let state = 12345;
    return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  })();
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
  /** A unit vector over a few words; the low-numbered words are common, as in real text. */
  const vectorOf = (size: number): Map<string, number> => {
    const vector = new Map<string, number>();
    while (vector.size < size) vector.set(words[Math.floor(random() ** 2 * words.length)], 0.2 + random());
    let norm = 0;
    for (const weight of vector.values()) norm += weight * weight;
    for (const [term, weight] of vector) vector.set(term, weight / Math.sqrt(norm));
    return vector;
  };
  const centroidOf = (vector: Map<string, number>, size = 1) => ({
    terms: Object.fromEntries(vector),
    surfaces: Object.fromEntries([...vector.keys()].map((term) => [term, term])),
    size,
  });

  it('picks the irritant a comparison with every one would pick, whatever it skips', () => {
    const irritants = Array.from({ length: 300 }, (_, i) => ({
      id: `i${i}`,
      centroid: centroidOf(vectorOf(8)),
    }));
    for (let probe = 0; probe < 300; probe++) {
      const vector = vectorOf(2 + (probe % 9));
      const scores = irritants.map(({ id, centroid }) => [id, similarity(vector, centroid)] as const);
      const best = scores.reduce((a, b) => (b[1] > a[1] ? b : a));
      const placed = new IrritantAssigner(irritants, 0.3).place(vector, [], []);
      if (best[1] >= 0.3) {
        expect(placed.created).toBe(false);
        expect(placed.score).toBeCloseTo(best[1], 9);
      } else {
        expect(placed.created).toBe(true);
      }
    }
  });

  it("still finds an irritant that shares only the verbatim's lighter words", () => {
    // A strong word no irritant holds (0.8) and three light ones (0.35 each) an irritant holds all
    // of: the cosine is 0.6, above the threshold, though the strong word matched nothing.
    const vector = new Map([
      ['rare', 0.8],
      ['a', 0.3464],
      ['b', 0.3464],
      ['c', 0.3464],
    ]);
    const light = centroidOf(
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    );
    const placed = new IrritantAssigner([{ id: 'light', centroid: light }], 0.3).place(vector, [], []);
    expect(placed).toMatchObject({ key: 'light', created: false });
    expect(placed.score).toBeCloseTo(0.6, 3);
  });

  it('follows the irritants it is told of: replaced, removed, started ones stored under their id', () => {
    const refund = read('remboursement du billet annulé jamais reçu');
    const access = read('fauteuil roulant introuvable en gare');
    const assigner = new IrritantAssigner([
      { id: 'refund-id', centroid: addToCentroid(emptyCentroid(), ...refund) },
    ]);
    const started = assigner.place(...access);
    expect(started.created).toBe(true);
    assigner.rekey(started.key, 'access-id');
    assigner.resetChanges();
    expect(assigner.place(...read('fauteuil roulant introuvable')).key).toBe('access-id');
    expect(assigner.changes().map((change) => [change.key, change.created])).toEqual([['access-id', false]]);
    // Another process rewrote the refund irritant as an access one; then it was deleted.
    assigner.upsert('refund-id', addToCentroid(emptyCentroid(), ...access), 'fr');
    assigner.remove('access-id');
    expect(assigner.place(...read('fauteuil roulant introuvable en gare')).key).toBe('refund-id');
    assigner.remove('refund-id');
    expect(assigner.size).toBe(0);
    expect(assigner.place(...read('remboursement du billet annulé')).created).toBe(true);
  });
});

describe('removeFromCentroid', () => {
  it('undoes addToCentroid', () => {
    const a = read('Paiement refusé au 3-D Secure');
    const b = read('fauteuil roulant en gare');
    const withA = addToCentroid(emptyCentroid(), ...a);
    const both = addToCentroid(withA, ...b);
    const back = removeFromCentroid(both, b[0]);
    expect(back.size).toBe(1);
    expect(Object.keys(back.terms).sort()).toEqual(Object.keys(withA.terms).sort());
    for (const [term, weight] of Object.entries(withA.terms)) expect(back.terms[term]).toBeCloseTo(weight, 9);
    expect(similarity(b[0], back)).toBe(0);
  });
});

describe('fitJoinThreshold', () => {
  it('keeps the default while there are too few decisions', () => {
    const few = Array.from({ length: MIN_THRESHOLD_EVIDENCE - 1 }, () => ({
      similarity: 0.5,
      shouldJoin: false,
    }));
    expect(fitJoinThreshold(few, 0.15)).toEqual({ threshold: 0.15, agreement: null, decisions: few.length });
  });

  it('moves the threshold to where the team draws the line', () => {
    // The team splits apart verbatims up to 0.3 alike and keeps together those above 0.35.
    const evidence = [
      ...Array.from({ length: 20 }, (_, i) => ({ similarity: 0.1 + i * 0.01, shouldJoin: false })),
      ...Array.from({ length: 20 }, (_, i) => ({ similarity: 0.36 + i * 0.01, shouldJoin: true })),
    ];
    const fitted = fitJoinThreshold(evidence, 0.15);
    expect(fitted.threshold).toBeGreaterThan(0.29);
    expect(fitted.threshold).toBeLessThanOrEqual(0.36);
    expect(fitted.agreement).toBe(1);
  });

  it('prefers the cut nearest the default when several agree as well', () => {
    const evidence = [
      ...Array.from({ length: 10 }, () => ({ similarity: 0.05, shouldJoin: false })),
      ...Array.from({ length: 10 }, () => ({ similarity: 0.5, shouldJoin: true })),
    ];
    expect(fitJoinThreshold(evidence, 0.15).threshold).toBe(0.15);
  });
});
