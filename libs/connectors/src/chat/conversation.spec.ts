import { MAX_TURNS_PER_VERBATIM, grow, partExternalId } from './conversation';

const turn = (id: string, minute: number, text = `message ${id}`) => ({
  id,
  at: `2026-11-23T09:${String(minute).padStart(2, '0')}:00.000Z`,
  text,
});

describe('a conversation verbatim that grows', () => {
  it('adds what it does not hold yet, in time order, and nothing twice', () => {
    const first = grow(null, [turn('a', 1, 'Bonjour'), turn('c', 5, 'Toujours rien')]);
    expect(first.text).toBe('Bonjour\nToujours rien');
    // A message that arrives late takes its place by time; a replayed one adds nothing.
    const second = grow({ text: first.text, turns: first.turns }, [
      turn('b', 3, 'Mon billet ?\nle 12'),
      turn('a', 1, 'Bonjour'),
    ]);
    expect(second.text).toBe('Bonjour\nMon billet ?\nle 12\nToujours rien');
    expect(second.added).toEqual(['b']);
    const again = grow({ text: second.text, turns: second.turns }, [turn('b', 3, 'Mon billet ?\nle 12')]);
    expect(again.added).toEqual([]);
    expect(again.text).toBe(second.text);
  });

  it('leaves what does not fit for the next part, so that nothing is lost', () => {
    const many = Array.from({ length: MAX_TURNS_PER_VERBATIM + 3 }, (_, i) => turn(`t${i}`, i % 60));
    const full = grow(null, many);
    expect(full.turns).toHaveLength(MAX_TURNS_PER_VERBATIM);
    expect(full.overflow).toHaveLength(3);
    expect(
      grow(null, [turn('long', 1, 'x'.repeat(15_000)), turn('more', 2, 'y'.repeat(6_000))]).overflow.map(
        (t) => t.id,
      ),
    ).toEqual(['more']);
    expect(partExternalId('conv-1', 1)).toBe('conv-1');
    expect(partExternalId('conv-1', 2)).toBe('conv-1#2');
  });

  it('appends after a text no longer cut into its turns (redacted after the retention period)', () => {
    const stored = grow(null, [turn('a', 1, 'Mon numéro est 06 12 34 56 78')]);
    const redacted = { text: 'Mon numéro est [PHONE]', turns: stored.turns };
    const next = grow(redacted, [turn('b', 2, 'Merci'), turn('a', 1, 'Mon numéro est 06 12 34 56 78')]);
    expect(next.text).toBe('Mon numéro est [PHONE]\nMerci');
    expect(next.turns.map((t) => t.id)).toEqual(['a', 'b']);
  });
});
