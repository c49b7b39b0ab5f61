import { ImapFlow } from 'imapflow';
import { SourceKind } from '@app/database';
import { ConnectorError, PullConnector, PullPage, SourceContext } from '../connector';
import { MAX_EMAIL_BYTES } from './email-reading';
import { readEmail } from './read-email';
import { emailVerbatim } from './email-verbatim';

/** Messages fetched per page (settings.pageSize): a page is stored before the cursor moves past it. */
const PAGE_SIZE = 50;
const CONNECT_TIMEOUT_MS = 20_000;

interface ImapCursor {
  /** The mailbox's UIDVALIDITY when `lastUid` was read: UIDs mean nothing across a change. */
  uidValidity: string;
  lastUid: number;
}

function settingsOf(source: SourceContext) {
  const { host, port, secure, user, mailbox, allowSelfSigned, pageSize } = source.settings;
  if (typeof host !== 'string' || host === '' || typeof user !== 'string' || user === '') {
    throw new ConnectorError('settings.host and settings.user are required', true);
  }
  const password = source.secrets.password;
  if (!password) throw new ConnectorError('secrets.password is required', true);
  const tls = secure !== false;
  return {
    host,
    port: typeof port === 'number' ? port : tls ? 993 : 143,
    secure: tls,
    user,
    password,
    mailbox: typeof mailbox === 'string' && mailbox !== '' ? mailbox : 'INBOX',
    allowSelfSigned: allowSelfSigned === true,
    pageSize:
      typeof pageSize === 'number' && Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 500
        ? pageSize
        : PAGE_SIZE,
  };
}

function cursorOf(source: SourceContext): ImapCursor | null {
  const cursor = source.cursor;
  return cursor && typeof cursor.uidValidity === 'string' && typeof cursor.lastUid === 'number'
    ? { uidValidity: cursor.uidValidity, lastUid: cursor.lastUid }
    : null;
}

/**
 * A customer-service mailbox over IMAP, read-only, by UID: the cursor is the last UID stored and
 * the mailbox's UIDVALIDITY. When UIDVALIDITY changes (the server rebuilt the mailbox) every
 * message is read again, and the ingest, idempotent on Message-ID, stores only the new ones.
 * Messages over 10 MB are refused from their size alone, without being downloaded.
 */
export class ImapConnector implements PullConnector {
  readonly kind = SourceKind.Email;
  readonly requiredSetting = 'host';

  async pull(source: SourceContext, signal: AbortSignal): Promise<PullPage> {
    const settings = settingsOf(source);
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.password },
      logger: false,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      tls: { rejectUnauthorized: !settings.allowSelfSigned },
    });
    const abort = () => client.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await client.connect().catch((error: unknown) => {
        const failure = error as { authenticationFailed?: boolean; message?: string };
        if (failure.authenticationFailed)
          throw new ConnectorError('IMAP login refused: check user and password', true);
        throw new ConnectorError(`IMAP connection failed: ${failure.message ?? String(error)}`);
      });
      const mailbox = await client.mailboxOpen(settings.mailbox, { readOnly: true });
      const uidValidity = String(mailbox.uidValidity);
      const previous = cursorOf(source);
      const lastUid = previous && previous.uidValidity === uidValidity ? previous.lastUid : 0;
      const uids = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [])
        .filter((uid) => uid > lastUid)
        .sort((a, b) => a - b);
      const page = uids.slice(0, settings.pageSize);
      const result: PullPage = {
        items: [],
        skipped: [],
        refused: [],
        cursor: { uidValidity, lastUid: page.at(-1) ?? lastUid },
        more: uids.length > page.length,
      };
      if (page.length === 0) return result;
      const sizes = new Map<number, { size: number; internalDate: Date | null }>();
      for await (const message of client.fetch(
        page.join(','),
        { uid: true, size: true, internalDate: true },
        { uid: true },
      )) {
        sizes.set(message.uid, {
          size: message.size ?? 0,
          internalDate: message.internalDate instanceof Date ? message.internalDate : null,
        });
      }
      const wanted = page.filter((uid) => (sizes.get(uid)?.size ?? 0) <= MAX_EMAIL_BYTES);
      for (const uid of page.filter((one) => !wanted.includes(one))) {
        const size = sizes.get(uid)?.size ?? 0;
        result.refused?.push({
          externalId: `uid:${uidValidity}:${uid}`,
          reason: `message is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_EMAIL_BYTES / 1024 / 1024} MB limit`,
        });
      }
      if (wanted.length > 0) {
        for await (const message of client.fetch(
          wanted.join(','),
          { uid: true, source: true },
          { uid: true },
        )) {
          if (!message.source) continue;
          const reading = await readEmail(message.source);
          const arrived = sizes.get(message.uid)?.internalDate ?? null;
          const item = emailVerbatim(source.name, reading, arrived, source.now);
          const externalId = reading.messageId ?? `uid:${uidValidity}:${message.uid}`;
          if ('verbatim' in item) result.items.push(item.verbatim);
          else if ('skipped' in item) result.skipped?.push({ externalId, reason: item.skipped });
          else result.refused?.push({ externalId, reason: item.refused });
        }
      }
      return result;
    } finally {
      signal.removeEventListener('abort', abort);
      await client.logout().catch(() => client.close());
    }
  }
}
