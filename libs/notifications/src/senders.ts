import type { KnownBlock, Logger as SlackLogger } from '@slack/web-api';
import type { ChatText } from './render';
import { slackMessage, teamsMessage } from './render';

/** A chat that does not answer within this is counted as down. */
const TIMEOUT_MS = 10_000;

export interface SendOutcome {
  status: number | null;
  error: string | null;
  remoteId?: string | null;
}

/** The Slack client's own logger, silenced: our delivery log records every attempt instead. */
const quiet = (level: SlackLogger['getLevel'] extends () => infer L ? L : never): SlackLogger => ({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => level,
  setName: () => undefined,
});

async function post(url: string, body: unknown): Promise<SendOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'LoveBoard-Chat/1' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // Slack answers a reason in the body ("invalid_payload", "channel_is_archived"): kept, short.
    const text = (await response.text()).slice(0, 200);
    return response.ok
      ? { status: response.status, error: null }
      : { status: response.status, error: `answered ${response.status}${text ? `: ${text}` : ''}` };
  } catch (failure) {
    return { status: null, error: failure instanceof Error ? failure.message : String(failure) };
  }
}

/** A Slack incoming webhook: `{text, blocks}` POSTed to its URL; 200 "ok". */
export function sendSlackWebhook(url: string, message: ChatText): Promise<SendOutcome> {
  return post(url, slackMessage(message));
}

/** A Teams incoming webhook (Workflows or connector): an Adaptive Card in a `message`; 200 or 202. */
export function sendTeamsWebhook(url: string, message: ChatText): Promise<SendOutcome> {
  return post(url, teamsMessage(message));
}

/** The metadata that marks a message of ours, so that a retry can find it already posted. */
export const SLACK_EVENT_TYPE = 'loveboard_message';

/**
 * A Slack bot: chat.postMessage with `@slack/web-api`. Each message carries its id in Slack's
 * message metadata; a retry first reads the channel's history since the message was made
 * (conversations.history) and, when an earlier attempt did post it (its answer lost), records it
 * delivered instead of posting it twice.
 */
export async function sendSlackBot(
  options: { token: string; channel: string; apiUrl: string | null },
  message: ChatText,
  id: { messageId: string; retry: boolean; since: Date },
): Promise<SendOutcome> {
  // Loaded when first used, like the trackers' SDKs: no start-up cost for processes that never post.
  const { WebClient, LogLevel } = await import('@slack/web-api');
  const client = new WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    logger: quiet(LogLevel.ERROR),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: TIMEOUT_MS,
  });
  try {
    if (id.retry) {
      const history = await client.conversations.history({
        channel: options.channel,
        oldest: String(Math.floor(id.since.getTime() / 1000) - 60),
        limit: 200,
        include_all_metadata: true,
      });
      const posted = (history.messages ?? []).find(
        (one) =>
          one.metadata?.event_type === SLACK_EVENT_TYPE &&
          (one.metadata.event_payload as Record<string, unknown> | undefined)?.message_id === id.messageId,
      );
      if (posted) return { status: 200, error: null, remoteId: posted.ts ?? null };
    }
    const { text, blocks } = slackMessage(message);
    const result = await client.chat.postMessage({
      channel: options.channel,
      text,
      // Built to Block Kit's schema by slackMessage (and checked by the test peer).
      blocks: blocks as unknown as KnownBlock[],
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { message_id: id.messageId } },
    });
    return { status: 200, error: null, remoteId: result.ts ?? null };
  } catch (failure) {
    const error = failure as {
      code?: string;
      data?: { error?: string };
      statusCode?: number;
      retryAfter?: number;
      message?: string;
    };
    if (error.code === 'slack_webapi_platform_error')
      return { status: 200, error: `Slack refused: ${error.data?.error ?? 'unknown error'}` };
    if (error.code === 'slack_webapi_rate_limited_error')
      return { status: 429, error: `rate limited, retry after ${error.retryAfter ?? '?'} s` };
    if (error.code === 'slack_webapi_http_error')
      return { status: error.statusCode ?? null, error: `answered ${error.statusCode ?? '?'}` };
    return { status: null, error: error.message ?? String(failure) };
  }
}
