import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  chmod,
  chown,
  mkdir,
  mkdtemp,
  open,
  rename,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { freePort } from '../../bench/soak/services';

const run = promisify(execFile);

export interface ImapServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Stores a raw RFC 822 message in INBOX (IMAP APPEND), returns its UID. */
  append(raw: Buffer | string, mailbox?: string): Promise<number>;
  /** Recreates INBOX so that its UIDVALIDITY changes (what a server does after a mailbox rebuild). */
  resetInbox(): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const USER = 'loveboard';
/** Dovecot switches to this system user for mail access; Debian's base system has it. */
const MAIL_USER = 'mail';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findDovecot(): Promise<string | undefined> {
  // Debian puts it in /usr/sbin, which a non-login shell's PATH may lack.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    if (await executable(join(dir, 'dovecot'))) return join(dir, 'dovecot');
  }
  return undefined;
}

/** The dovecot binary. The tests install nothing: tools/ensure-test-services.sh does, once per machine. */
async function ensureDovecot(): Promise<string> {
  const found = await findDovecot();
  if (found) return found;
  throw new Error(
    'dovecot is missing (Debian package dovecot-imapd): run tools/ensure-test-services.sh, which installs it ' +
      'without starting the system service',
  );
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** False once the process is gone or a zombie: the daemon's parent is init, which may reap it late. */
async function alive(pid: number): Promise<boolean> {
  try {
    const procStat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return procStat.slice(procStat.lastIndexOf(')') + 2, procStat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function systemId(flag: '-u' | '-g', user: string): Promise<number> {
  const { stdout } = await run('id', [flag, user]);
  return Number(stdout.trim());
}

function config(dir: string, port: number): string {
  return `# Private Dovecot for one test suite (test/support/imap-server.ts).
protocols = imap
listen = ${HOST}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests of a wrong password should not wait the default 2 s.
auth_failure_delay = 0
# The mail user (uid 8) is below Dovecot's default of 500: login would work, mail access not.
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
namespace inbox {
  inbox = yes
}
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${MAIL_USER} gid=${MAIL_USER} home=${dir}/home/%u
}
protocol imap {
  # A connector under test, the test's own client and append() may all be connected at once.
  mail_max_userip_connections = 100
}
service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

const running = new Set<number>();
let exitHookInstalled = false;

/** Dovecot daemonises, so a test run that dies without stop() would leave it behind. */
function killLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

async function readPid(dir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(dir, 'run', 'master.pid'), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function tail(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).slice(-3000);
  } catch {
    return '(no log)';
  }
}

function client(port: number, password: string): ImapFlow {
  const imap = new ImapFlow({
    host: HOST,
    port,
    secure: false,
    auth: { user: USER, pass: password },
    logger: false,
    disableAutoIdle: true,
  });
  // Without a listener a socket error would be thrown from the emitter; the command's promise
  // already rejects with it.
  imap.on('error', () => undefined);
  return imap;
}

async function withClient<T>(
  port: number,
  password: string,
  work: (imap: ImapFlow) => Promise<T>,
): Promise<T> {
  const imap = client(port, password);
  await imap.connect();
  try {
    return await work(imap);
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

/**
 * Runs `dovecot -c CONF`, which daemonises: resolves with nothing once it has, or with its output if
 * it failed. Its output goes to a file, since the daemon would hold a pipe open (and execFile with it).
 */
async function launch(dovecot: string, conf: string, logFile: string): Promise<string | undefined> {
  const out = await open(logFile, 'w');
  try {
    const child = spawn(dovecot, ['-c', conf], { stdio: ['ignore', out.fd, out.fd] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code === 0) return undefined;
    return `dovecot exited with ${code}: ${await readFile(logFile, 'utf8')}`;
  } finally {
    await out.close();
  }
}

async function stopMaster(dir: string, port: number): Promise<void> {
  const pid = await readPid(dir);
  if (pid === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  const exited = async (ms: number) => {
    const deadline = Date.now() + ms;
    while ((await alive(pid)) && Date.now() < deadline) await sleep(25);
    return !(await alive(pid));
  };
  // The whole process group, and SIGKILL after a short grace: signalled alone, the master waits
  // for its log process (1 s), and an imap process that was just logging out can hold it up 5 s
  // more. Nothing of its state is kept anyway.
  signal('SIGTERM');
  if (!(await exited(500))) {
    signal('SIGKILL');
    await exited(5000);
  }
  running.delete(pid);
  for (let i = 0; i < 50 && (await portOpen(port)); i++) await sleep(100);
}

/**
 * A real Dovecot IMAP server on a free port of 127.0.0.1, with its configuration, sockets, logs
 * and mail in a temporary folder of its own, so that several suites can each run one. Needs root
 * (Dovecot switches to the `mail` user for mail access).
 */
export async function startImapServer(): Promise<ImapServer> {
  if (process.getuid?.() !== 0) {
    throw new Error('startImapServer needs root: Dovecot switches to the mail user for mail access');
  }
  const dovecot = await ensureDovecot();
  const mailUid = await systemId('-u', MAIL_USER);
  const mailGid = await systemId('-g', MAIL_USER);
  const password = randomBytes(12).toString('hex');

  const dir = await mkdtemp(join(tmpdir(), 'loveboard-imap-'));
  let port = 0;
  try {
    // The mail user and Dovecot's unprivileged login and auth users have to get through it.
    await chmod(dir, 0o755);
    await mkdir(join(dir, 'state'));
    for (const sub of ['mail', 'home']) {
      await mkdir(join(dir, sub, USER), { recursive: true });
      await chown(join(dir, sub), mailUid, mailGid);
      await chown(join(dir, sub, USER), mailUid, mailGid);
      await chmod(join(dir, sub), 0o700);
    }
    await writeFile(join(dir, 'passwd'), `${USER}:{PLAIN}${password}\n`, { mode: 0o644 });

    let lastError = '';
    // Another suite may take the free port between probing it and Dovecot binding it: retry.
    for (let attempt = 1; attempt <= 5 && port === 0; attempt++) {
      const candidate = await freePort();
      const conf = join(dir, 'dovecot.conf');
      await writeFile(conf, config(dir, candidate));
      const failure = await launch(dovecot, conf, join(dir, 'launch.log'));
      if (failure === undefined) port = candidate;
      else {
        lastError = `${failure}\n${await tail(join(dir, 'dovecot.log'))}`;
        if (!/in use/i.test(lastError)) break;
      }
    }
    if (port === 0) throw new Error(`dovecot did not start:\n${lastError}`);
    killLeftoversOnExit();
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await withClient(port, password, () => Promise.resolve());
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          await stopMaster(dir, port);
          throw new Error(
            `dovecot on port ${port} does not accept a login: ${(error as Error).message}\n` +
              (await tail(join(dir, 'dovecot.log'))),
            { cause: error },
          );
        }
        await sleep(100);
      }
    }

    // Only now: the daemon writes master.pid some time after `dovecot` has returned.
    const pid = await readPid(dir);
    if (pid !== undefined) running.add(pid);

    let stopped = false;
    return {
      host: HOST,
      port,
      user: USER,
      password,
      append(raw, mailbox = 'INBOX') {
        return withClient(port, password, async (imap) => {
          if (mailbox.toUpperCase() !== 'INBOX') await imap.mailboxCreate(mailbox);
          const result = await imap.append(mailbox, raw);
          if (!result || result.uid === undefined) {
            throw new Error(`APPEND to ${mailbox} returned no UID`);
          }
          return result.uid;
        });
      },
      async resetInbox() {
        const before = await withClient(port, password, async (imap) => {
          const inbox = await imap.mailboxOpen('INBOX');
          if (inbox.exists > 0) await imap.messageDelete('1:*');
          return inbox.uidValidity;
        });
        // IMAP can neither DELETE nor RENAME INBOX (Dovecot: "Renaming INBOX isn't supported").
        // Instead the emptied INBOX gets a new UID list, as after a rebuild, and a new mtime so
        // that Dovecot rereads it: it logs "UIDVALIDITY changed", resets its index, starts over at
        // UID 1 and drops the sessions that had INBOX selected ("please relogin").
        const maildir = join(dir, 'mail', USER);
        const uidlist = join(maildir, 'dovecot-uidlist');
        const header = await readFile(uidlist, 'utf8').then(
          (text) => text.split('\n', 1)[0],
          () => '',
        );
        const guid = /\bG([0-9a-f]+)/.exec(header)?.[1];
        await writeFile(`${uidlist}.reset`, `3 V${before + 1n} N1${guid ? ` G${guid}` : ''}\n`);
        await chown(`${uidlist}.reset`, mailUid, mailGid);
        await rename(`${uidlist}.reset`, uidlist);
        for (const sub of ['new', 'cur']) {
          const path = join(maildir, sub);
          const mtime = new Date(Math.max((await stat(path)).mtimeMs, Date.now()) + 1000);
          await utimes(path, mtime, mtime);
        }
        // Checked from a new session, as a dropped client would after logging in again.
        const after = await withClient(port, password, (imap) => imap.status('INBOX', { uidValidity: true }));
        if (!after || after.uidValidity === before) {
          throw new Error(
            `resetInbox: UIDVALIDITY stayed ${String(before)} (${String(after && after.uidValidity)})`,
          );
        }
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopMaster(dir, port);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopMaster(dir, port).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
