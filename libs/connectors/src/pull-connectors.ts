import type { PullConnector } from './connector';

/** The pull connectors the poller runs, one per source kind. Each lives in its own folder. */
export const PULL_CONNECTOR_LIST: PullConnector[] = [];
