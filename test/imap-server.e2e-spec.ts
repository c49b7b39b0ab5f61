import { createConnection } from 'node:net';
import { ImapFlow } from 'imapflow';
import { ImapServer, startImapServer } from './support/imap-server';

function message(n: number): string {
  return [
    'From: Customer <customer@example.test>',
    'To: Feedback <feedback@loveboard.test>',
    `Subject: Feedback ${n}`,
    `Message-ID: <feedback-${n}@example.test>`,
    'Date: Mon, 1 Jun 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The export button is broken (${n}).`,
    '',
  ].join('\r\n');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('test IMAP server (Dovecot)', () => {
  let server: ImapServer;
  let client: ImapFlow | undefined;

  beforeAll(async () => {
    server = await startImapServer();
  }, 15 * 60_000);

  afterAll(async () => {
    await client?.logout().catch(() => client?.close());
    await server?.stop();
  });

  function connect(): Promise<ImapFlow> {
    const imap = new ImapFlow({
      host: server.host,
      port: server.port,
      secure: false,
      auth: { user: server.user, pass: server.password },
      logger: false,
    });
    imap.on('error', () => undefined);
    client = imap;
    return imap.connect().then(() => imap);
  }

  it('stores appended messages that a client fetches by UID', async () => {
    const uids: number[] = [];
    for (const n of [1, 2, 3]) uids.push(await server.append(message(n)));
    expect(uids[1]).toBeGreaterThan(uids[0]);
    expect(uids[2]).toBeGreaterThan(uids[1]);

    const imap = await connect();
    await imap.mailboxOpen('INBOX');
    const fetched = await imap.fetchAll('1:*', { uid: true, source: true, envelope: true }, { uid: true });
    expect(fetched.map((m) => m.uid)).toEqual(uids);
    expect(fetched.map((m) => m.envelope?.messageId)).toEqual([
      '<feedback-1@example.test>',
      '<feedback-2@example.test>',
      '<feedback-3@example.test>',
    ]);
    expect(fetched[0].source?.toString('utf8')).toContain('Message-ID: <feedback-1@example.test>\r\n');
    await imap.logout();
    client = undefined;
  });

  it('gives INBOX a new UIDVALIDITY on resetInbox()', async () => {
    let imap = await connect();
    const before = (await imap.mailboxOpen('INBOX')).uidValidity;
    await imap.logout();

    await server.resetInbox();

    imap = await connect();
    const after = await imap.mailboxOpen('INBOX');
    expect(after.uidValidity).not.toEqual(before);
    expect(after.exists).toBe(0);
    expect(await server.append(message(4))).toBe(1);
    await imap.logout();
    client = undefined;
  });

  it('closes its port on stop()', async () => {
    const { port } = server;
    expect(await portOpen(port)).toBe(true);
    await server.stop();
    expect(await portOpen(port)).toBe(false);
  });
});
