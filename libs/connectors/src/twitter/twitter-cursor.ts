import { isTweetId } from './twitter-settings';

/** Where one search query stands. Tweet ids are strings (they pass 2^53) compared as BigInt. */
export interface QueryState {
  /** Every matching tweet newer than this id has been handed over: the next walk's `since_id`. */
  sinceId: string | null;
  /**
   * A walk in progress (X pages from the newest tweet down to `since_id`): the token of its next
   * page, and the newest id it has seen, which becomes `sinceId` only once the walk is complete.
   */
  nextToken: string | null;
  newestId: string | null;
}

/**
 * A Twitter source's cursor. A round reads every query in turn, each walked to its end before the
 * next; `pending` holds the queries of the round not finished yet, the one being walked first.
 */
export interface TwitterCursor {
  queries: Record<string, QueryState>;
  pending: string[];
}

export function maxId(...ids: (string | null | undefined)[]): string | null {
  let max: string | null = null;
  for (const id of ids) if (isTweetId(id) && (max === null || BigInt(id) > BigInt(max))) max = id;
  return max;
}

function stateOf(value: unknown): QueryState {
  const state = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const nextToken = typeof state.nextToken === 'string' && state.nextToken !== '' ? state.nextToken : null;
  return {
    sinceId: isTweetId(state.sinceId) ? state.sinceId : null,
    nextToken,
    newestId: nextToken && isTweetId(state.newestId) ? state.newestId : null,
  };
}

/**
 * The persisted cursor read against the current settings: queries no longer configured are
 * forgotten, new ones start from nothing (X's last seven days), and a finished round starts the
 * next one with every query.
 */
export function readCursor(raw: Record<string, unknown> | null, queries: string[]): TwitterCursor {
  const saved = (raw?.queries && typeof raw.queries === 'object' ? raw.queries : {}) as Record<
    string,
    unknown
  >;
  const cursor: TwitterCursor = { queries: {}, pending: [] };
  for (const query of queries)
    cursor.queries[query] = stateOf(Object.hasOwn(saved, query) ? saved[query] : undefined);
  const pending = Array.isArray(raw?.pending) ? (raw.pending as unknown[]) : [];
  cursor.pending = [
    ...new Set(
      pending.filter((query): query is string => typeof query === 'string' && queries.includes(query)),
    ),
  ];
  if (cursor.pending.length === 0) cursor.pending = [...queries];
  return cursor;
}

/**
 * The cursor after one page of `query` was read: on to the walk's next page, or, at its end,
 * `sinceId` moves up to the newest tweet of the walk and the round goes on to the next query.
 * @returns whether more is waiting now (a next page, or queries left in the round).
 */
export function afterPage(
  cursor: TwitterCursor,
  query: string,
  state: QueryState,
  page: { ids: string[]; newestId: string | null; nextToken: string | null },
): { cursor: TwitterCursor; more: boolean } {
  const newestId = maxId(state.newestId, page.newestId, ...page.ids);
  const next: TwitterCursor = { queries: { ...cursor.queries }, pending: [...cursor.pending] };
  if (page.nextToken) {
    next.queries[query] = { sinceId: state.sinceId, nextToken: page.nextToken, newestId };
    return { cursor: next, more: true };
  }
  next.queries[query] = { sinceId: maxId(state.sinceId, newestId), nextToken: null, newestId: null };
  next.pending = next.pending.filter((one) => one !== query);
  return { cursor: next, more: next.pending.length > 0 };
}
