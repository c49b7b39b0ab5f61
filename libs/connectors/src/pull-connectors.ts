import type { PullConnector } from './connector';
import { ImapConnector } from './email/imap.connector';
import { ForumConnector } from './forums/forum.connector';
import { TwitterConnector } from './twitter/twitter.connector';

/** The pull connectors the poller runs, one per source kind. Each lives in its own folder. */
export const PULL_CONNECTOR_LIST: PullConnector[] = [
  new ImapConnector(),
  new ForumConnector(),
  new TwitterConnector(),
];
