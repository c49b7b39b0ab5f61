import { SourceKind } from '@app/database';
import { PullConnector, PullPage, SourceContext } from '../connector';
import { QueryState, afterPage, readCursor } from './twitter-cursor';
import { RefusedParameter, SearchParams, searchRecent } from './twitter-search';
import { SearchPage, tweetOutcome } from './tweets';
import { TwitterSettings, twitterSettingsOf } from './twitter-settings';

/**
 * X (Twitter) through the v2 recent search (the last seven days), one or more queries, with the
 * twitter-api-v2 client. Each pull reads one page of one query: a query is walked from its newest
 * tweet down to its `since_id`, page by page (`next_token`), before the next query is read; the
 * cursor keeps the walk's token, so a failure or a restart goes on from the page it stopped at.
 * See docs/CONNECTORS.md for the settings, the secret and the cursor.
 */
export class TwitterConnector implements PullConnector {
  readonly kind = SourceKind.Twitter;

  async pull(source: SourceContext, signal: AbortSignal): Promise<PullPage> {
    const settings = twitterSettingsOf(source);
    const cursor = readCursor(source.cursor, settings.queries);
    const query = cursor.pending[0];
    const { page, state } = await searchFrom(settings, query, cursor.queries[query], signal);
    const next = afterPage(cursor, query, state, {
      ids: page.tweets.map((tweet) => tweet.id),
      newestId: page.newestId,
      nextToken: page.nextToken,
    });
    const result: PullPage = {
      items: [],
      skipped: [],
      refused: [],
      cursor: { ...next.cursor },
      more: next.more,
    };
    for (const tweet of page.tweets) {
      const outcome = tweetOutcome(tweet, page, query, source.name, settings);
      if ('verbatim' in outcome) result.items.push(outcome.verbatim);
      else if ('skipped' in outcome) result.skipped?.push({ externalId: tweet.id, reason: outcome.skipped });
      else result.refused?.push({ externalId: tweet.id, reason: outcome.refused });
    }
    return result;
  }
}

/**
 * One page of `query` from where it stands. X refuses a `next_token` that has expired and a
 * `since_id` older than its seven days: the walk then starts again from the top (without the
 * since_id in the second case), which re-reads tweets the idempotent ingest stores only once.
 */
async function searchFrom(
  settings: TwitterSettings,
  query: string,
  saved: QueryState,
  signal: AbortSignal,
): Promise<{ page: SearchPage; state: QueryState }> {
  let state = saved;
  // Each retry drops the parameter refused, so this asks X three times at most.
  for (;;) {
    const params: SearchParams = { query, sinceId: state.sinceId, nextToken: state.nextToken };
    try {
      return { page: await searchRecent(settings, params, signal), state };
    } catch (error) {
      if (!(error instanceof RefusedParameter)) throw error;
      state =
        error.parameter === 'next_token'
          ? { ...state, nextToken: null }
          : { sinceId: null, nextToken: null, newestId: state.newestId };
    }
  }
}
