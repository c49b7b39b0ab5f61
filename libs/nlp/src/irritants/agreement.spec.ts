import { groupingAgreement } from './agreement';

const items = (groups: string[][]) =>
  groups.flatMap((labels, g) => labels.map((label) => ({ group: `g${g}`, label })));

describe('groupingAgreement', () => {
  it('is perfect when groups are the labels', () => {
    const result = groupingAgreement(
      items([
        ['a', 'a', 'a', 'a', 'a'],
        ['b', 'b'],
      ]),
    );
    expect(result).toMatchObject({ groups: 2, purity2: 1, shareIn5Plus: 5 / 7 });
    expect(result.nmi).toBeCloseTo(1, 9);
  });

  it('counts purity over groups of two or more only, and mixing lowers the mutual information', () => {
    const result = groupingAgreement(items([['a', 'a', 'b'], ['b'], ['a']]));
    expect(result.groups).toBe(3);
    expect(result.purity2).toBeCloseTo(2 / 3, 6);
    expect(result.shareIn5Plus).toBe(0);
    expect(result.nmi).toBeGreaterThan(0);
    expect(result.nmi).toBeLessThan(1);
  });

  it('finds no information in one group of mixed labels', () => {
    expect(groupingAgreement(items([['a', 'b', 'a', 'b']])).nmi).toBeCloseTo(0, 9);
  });
});
