import { SourceKind } from '@app/database';
import { ConnectorError, PullConnector, PullPage, SourceContext } from '../connector';
import { DiscourseForum } from './discourse-forum';
import { pullFeed } from './rss-feed';

/**
 * Forums and community sites, the one connector of the `forum` kind: `settings.type` says how the
 * forum is read, an RSS 2.0 / Atom feed (`rss`) or the Discourse JSON API (`discourse`).
 * See docs/CONNECTORS.md for their settings, secrets and cursors.
 */
export class ForumConnector implements PullConnector {
  readonly kind = SourceKind.Forum;
  private readonly discourse = new DiscourseForum();

  pull(source: SourceContext, signal: AbortSignal): Promise<PullPage> {
    const type = source.settings.type;
    if (type === 'rss') return pullFeed(source, signal);
    if (type === 'discourse') return this.discourse.pull(source, signal);
    return Promise.reject(
      new ConnectorError(`settings.type must be "rss" or "discourse", not ${JSON.stringify(type)}`, true),
    );
  }
}
