export { ForumConnector } from './forum.connector';
export type { RssCursor } from './rss-feed';
export type { DiscourseCursor } from './discourse-forum';
