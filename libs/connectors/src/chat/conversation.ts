import { MAX_TEXT_LENGTH } from '@app/ingest';

/**
 * One verbatim per conversation that grows as the customer writes: its text is the customer's
 * messages in the order they were written, one per line (or block), and its metadata lists them
 * (`turns`: platform id, time, length), so that a delivery replayed adds nothing and a message that
 * arrives late takes its place by time. A conversation too long for one verbatim (100 messages or
 * 20,000 characters) goes on in a next part, `<conversation id>#2`, and so on: nothing is lost.
 */
export interface ConversationTurn {
  id: string;
  at: string;
  chars: number;
}

export interface CustomerTurn {
  id: string;
  at: string;
  text: string;
}

export const MAX_TURNS_PER_VERBATIM = 100;
/** Parts of one conversation looked for, at most (10,000 customer messages). */
export const MAX_PARTS = 100;

export function partExternalId(conversationId: string, part: number): string {
  return part === 1 ? conversationId : `${conversationId}#${part}`;
}

/** The turns a conversation verbatim holds, from its metadata (empty when it lists none). */
export function turnsOf(metadata: Record<string, unknown> | null | undefined): ConversationTurn[] {
  const turns = metadata?.turns;
  if (!Array.isArray(turns)) return [];
  return turns.filter(
    (turn): turn is ConversationTurn =>
      typeof turn === 'object' &&
      turn !== null &&
      typeof (turn as ConversationTurn).id === 'string' &&
      typeof (turn as ConversationTurn).at === 'string' &&
      typeof (turn as ConversationTurn).chars === 'number',
  );
}

/**
 * The verbatim's text cut back into its turns' texts, or null when the lengths no longer add up
 * (the raw text was replaced by its redacted form after the retention period).
 */
function segments(text: string, turns: ConversationTurn[]): CustomerTurn[] | null {
  const total = turns.reduce((sum, turn) => sum + turn.chars, 0) + Math.max(0, turns.length - 1);
  if (total !== text.length) return null;
  const out: CustomerTurn[] = [];
  let at = 0;
  for (const turn of turns) {
    out.push({ id: turn.id, at: turn.at, text: text.slice(at, at + turn.chars) });
    at += turn.chars + 1;
  }
  return out;
}

const byTime = (a: { at: string; id: string }, b: { at: string; id: string }) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export interface Growth {
  text: string;
  turns: ConversationTurn[];
  /** Incoming turns that found room in this part, by id. */
  added: string[];
  /** Incoming turns left for the next part (this one is full). */
  overflow: CustomerTurn[];
}

/**
 * `existing` (text and turns of the part as stored, or null for a new part) with the incoming
 * customer turns it does not hold yet, in time order, as far as the part has room.
 */
export function grow(
  existing: { text: string; turns: ConversationTurn[] } | null,
  incoming: CustomerTurn[],
): Growth {
  const known = new Set(existing?.turns.map((turn) => turn.id) ?? []);
  const fresh = [
    ...new Map(incoming.filter((turn) => !known.has(turn.id)).map((t) => [t.id, t])).values(),
  ].sort(byTime);
  const split = existing ? segments(existing.text, existing.turns) : [];
  const added: CustomerTurn[] = [];
  const overflow: CustomerTurn[] = [];
  let length = existing?.text.length ?? 0;
  let count = existing?.turns.length ?? 0;
  for (const turn of fresh) {
    const text = turn.text.slice(0, MAX_TEXT_LENGTH);
    if (count >= MAX_TURNS_PER_VERBATIM || length + 1 + text.length > MAX_TEXT_LENGTH) {
      overflow.push(turn);
      continue;
    }
    added.push({ ...turn, text });
    length += text.length + 1;
    count++;
  }
  const ids = added.map((turn) => turn.id);
  if (split === null) {
    // A text no longer cut into turns: what is new goes after it, in time order.
    const turns = [
      ...(existing?.turns ?? []),
      ...added.map((t) => ({ id: t.id, at: t.at, chars: t.text.length })),
    ];
    const text = [existing?.text ?? '', ...added.map((turn) => turn.text)].filter(Boolean).join('\n');
    return { text, turns, added: ids, overflow };
  }
  const held = [...split, ...added].sort(byTime);
  return {
    text: held.map((turn) => turn.text).join('\n'),
    turns: held.map((turn) => ({ id: turn.id, at: turn.at, chars: turn.text.length })),
    added: ids,
    overflow,
  };
}
