import { storable } from './dead-letter.repository';

describe('storable (what a dead letter keeps of a hostile input)', () => {
  it('replaces lone surrogates and NUL, in keys and values at any depth, and keeps pairs', () => {
    const hostile = JSON.parse(
      '{"message":{"constructor":{"":"x\\udfffy"},"k\\ud800":["a\\u0000b","😀"]},"__proto__":{"p":1}}',
    ) as unknown;
    const kept = storable(hostile) as Record<string, unknown>;
    expect(JSON.stringify(kept)).toBe(
      JSON.stringify({ message: { constructor: { '': 'x\uFFFDy' }, 'k\uFFFD': ['a\uFFFDb', '😀'] } }).replace(
        /}$/,
        ',"__proto__":{"p":1}}',
      ),
    );
    expect(JSON.stringify(kept)).not.toMatch(/\\u(d[89ab]|0000)/i);
  });

  it('leaves numbers, booleans and null as they are', () => {
    expect(storable({ a: 1, b: true, c: null })).toEqual({ a: 1, b: true, c: null });
  });
});
