import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';

/** Debian's Dovecot (`apt-get install dovecot-imapd dovecot-lmtpd`): tests never build a mail server. */
export const DOVECOT_BIN = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';
/** Envelope sender of every `deliver()`; Dovecot stores it as the first line, `Return-Path: <…>`. */
export const LMTP_SENDER = 'sender@example.test';

const TEMPLATE = join(__dirname, 'dovecot', 'dovecot.conf.template');
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const INSTALL_HINT = 'apt-get install -y dovecot-imapd dovecot-lmtpd';

export interface Dovecot {
  readonly host: '127.0.0.1';
  readonly imapPort: number;
  readonly lmtpPort: number;
  /** The instance's temp dir: config, log, passwd-file, runtime sockets and mail. */
  readonly dir: string;
  /** Adds a user (or changes its password); Dovecot sees it when this resolves. */
  addUser(user: string, password: string): Promise<void>;
  /**
   * Delivers `raw` over LMTP with its bytes unchanged (8-bit as well; bare LF line ends become
   * CRLF, as on any SMTP hop). Stored as `Return-Path: <sender@example.test>\r\n` + raw.
   */
  deliver(to: string, raw: string | Buffer): Promise<void>;
  /** IMAP APPEND, creating the mailbox first if it does not exist. */
  append(user: string, password: string, mailbox: string, raw: string | Buffer, flags?: string[]): Promise<void>;
  messageCount(user: string, password: string, mailbox?: string): Promise<number>;
  uidValidity(user: string, password: string, mailbox?: string): Promise<bigint>;
  /**
   * Gives the mailbox a new UIDVALIDITY and keeps its messages (they get new UIDs), as when a
   * server's index is rebuilt. The server is stopped for it, so every IMAP connection drops.
   */
  recreateMailbox(user: string, password: string, mailbox?: string): Promise<{ before: bigint; after: bigint }>;
  /** A logged-in IMAP client (imapflow, logging off); the caller logs it out. */
  connectImap(user: string, password: string): Promise<ImapFlow>;
  /** Takes the server down (connections drop, ports close) and keeps its mail and ports. */
  stopServer(): Promise<void>;
  /** Brings a stopped server back on the same ports with the same mail. */
  startServer(): Promise<void>;
  /** stopServer() then startServer(). */
  restart(): Promise<void>;
  /** Stops the server for good and deletes its temp dir. */
  stop(): Promise<void>;
  /** The end of Dovecot's log (and of its stderr), for failure messages. */
  logTail(lines?: number): string;
}

/** Starts a private Dovecot (IMAP + LMTP on random loopback ports) in a fresh temp dir. */
export async function startDovecot(): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BIN)) throw new Error(`no Dovecot at ${DOVECOT_BIN}: ${INSTALL_HINT} (or set DOVECOT_BIN)`);
  if (process.getuid?.() !== 0) {
    throw new Error('the Dovecot test harness must run as root (as CI does): Dovecot switches to other users for login and mail processes');
  }
  // Between finding free ports and Dovecot binding them another process may take one; try again then.
  for (let attempt = 1; ; attempt++) {
    const [imapPort, lmtpPort] = await freePorts(2);
    const instance = new DovecotInstance(imapPort, lmtpPort);
    try {
      await instance.startServer();
      return instance;
    } catch (error) {
      const portTaken = instance.logTail().includes('Address already in use');
      await instance.stop();
      if (!portTaken || attempt === 3) throw error;
    }
  }
}

class DovecotInstance implements Dovecot {
  readonly host = HOST;
  readonly dir: string;
  private readonly configPath: string;
  private readonly logPath: string;
  private readonly usersPath: string;
  private readonly users = new Map<string, string>();
  private usersStamp = 0;
  private server: RunningServer | null = null;
  private stderr = '';
  private removed = false;

  constructor(
    readonly imapPort: number,
    readonly lmtpPort: number,
  ) {
    const mailUser = systemUser('mail');
    // Dovecot's config has no quoting for paths with spaces; tmpdir() normally has none.
    if (/\s/.test(tmpdir())) throw new Error(`Dovecot's config cannot hold a path with spaces: ${tmpdir()}`);
    this.dir = mkdtempSync(join(tmpdir(), 'pasokh-dovecot-'));
    this.configPath = join(this.dir, 'dovecot.conf');
    this.logPath = join(this.dir, 'dovecot.log');
    this.usersPath = join(this.dir, 'users');
    // The mail processes run as "mail": they must get through the root-owned temp dir (search
    // permission only) and own the mail directory.
    chmodSync(this.dir, 0o711);
    mkdirSync(join(this.dir, 'state'));
    mkdirSync(join(this.dir, 'mail'));
    chownSync(join(this.dir, 'mail'), mailUser.uid, mailUser.gid);
    writeFileSync(this.usersPath, '', { mode: 0o600 });
    writeFileSync(
      this.configPath,
      renderTemplate(readFileSync(TEMPLATE, 'utf8'), {
        DIR: this.dir,
        IMAP_PORT: String(imapPort),
        LMTP_PORT: String(lmtpPort),
        MAIL_UID: String(mailUser.uid),
        MAIL_GID: String(mailUser.gid),
      }),
    );
  }

  async addUser(user: string, password: string): Promise<void> {
    if (/[:\s/]/.test(user) || user === '') throw new Error(`unusable Dovecot user name: ${JSON.stringify(user)}`);
    if (/[:\r\n]/.test(password)) throw new Error('a passwd-file password cannot contain ":" or line breaks');
    // Dovecot lower-cases login names (auth_username_format = %Lu) before looking them up.
    this.users.set(user.toLowerCase(), password);
    const lines = [...this.users].map(([name, pass]) => `${name}:{PLAIN}${pass}::::::\n`).join('');
    const temporary = `${this.usersPath}.tmp`;
    writeFileSync(temporary, lines, { mode: 0o600 });
    // Dovecot reloads the file when its mtime (in whole seconds) or size differs from the version
    // it read; a new mtime for every version makes even a same-length change within one second count.
    this.usersStamp = Math.max(Math.floor(Date.now() / 1000), this.usersStamp + 1);
    utimesSync(temporary, this.usersStamp, this.usersStamp);
    renameSync(temporary, this.usersPath);
    // And it looks at the file at most once per second of its clock (passwd_file_sync skips the
    // stat when last_sync_time == ioloop_time): a lookup earlier in this same second may have used
    // up that look, so the new file is only seen for sure once the second is over.
    await sleep(1000 - (Date.now() % 1000) + 20);
  }

  async deliver(to: string, raw: string | Buffer): Promise<void> {
    const transport = createTransport({ host: HOST, port: this.lmtpPort, lmtp: true, secure: false, ignoreTLS: true });
    try {
      const info = await transport.sendMail({ envelope: { from: LMTP_SENDER, to: [to] }, raw });
      if (info.rejected.length > 0) throw new Error(`LMTP rejected ${to}: ${info.response}`);
    } finally {
      transport.close();
    }
  }

  async append(user: string, password: string, mailbox: string, raw: string | Buffer, flags: string[] = []): Promise<void> {
    await this.withImap(user, password, async (client) => {
      if (mailbox.toUpperCase() !== 'INBOX' && !(await client.list()).some((box) => box.path === mailbox)) {
        await client.mailboxCreate(mailbox);
      }
      if (!(await client.append(mailbox, raw, flags))) throw new Error(`APPEND to ${mailbox} failed`);
    });
  }

  async messageCount(user: string, password: string, mailbox = 'INBOX'): Promise<number> {
    const status = await this.withImap(user, password, (client) => client.status(mailbox, { messages: true }));
    if (!status || status.messages === undefined) throw new Error(`no STATUS for ${mailbox}`);
    return status.messages;
  }

  async uidValidity(user: string, password: string, mailbox = 'INBOX'): Promise<bigint> {
    const status = await this.withImap(user, password, (client) => client.status(mailbox, { uidValidity: true }));
    if (!status || status.uidValidity === undefined) throw new Error(`no STATUS for ${mailbox}`);
    return status.uidValidity;
  }

  async recreateMailbox(user: string, password: string, mailbox = 'INBOX'): Promise<{ before: bigint; after: bigint }> {
    const before = await this.uidValidity(user, password, mailbox);
    const count = await this.messageCount(user, password, mailbox);
    const root = join(this.dir, 'mail', user.toLowerCase());
    const folder = maildirFolder(root, mailbox);
    await this.stopServer();
    // UIDVALIDITY lives in the uidlist and the indexes (the mailbox's, and the mailbox list's
    // cache of it). Without them Dovecot rescans the messages in cur/ and new/ and takes the next
    // value from dovecot-uidvalidity, which is kept, so the new UIDVALIDITY is always a different one.
    for (const name of readdirSync(folder)) {
      if (name === 'dovecot-uidlist' || name.startsWith('dovecot.index')) rmSync(join(folder, name));
    }
    for (const name of readdirSync(root)) {
      if (name.startsWith('dovecot.list.index')) rmSync(join(root, name));
    }
    await this.startServer();
    const after = await this.uidValidity(user, password, mailbox);
    const countAfter = await this.messageCount(user, password, mailbox);
    if (after === before) throw new Error(`UIDVALIDITY of ${mailbox} did not change (${before})`);
    if (countAfter !== count) throw new Error(`${mailbox} had ${count} messages and has ${countAfter} after recreating it`);
    return { before, after };
  }

  async connectImap(user: string, password: string): Promise<ImapFlow> {
    const client = new ImapFlow({ host: HOST, port: this.imapPort, secure: false, auth: { user, pass: password }, logger: false });
    // A server taken down under a connected client (stopServer) must not crash the test process
    // with an unhandled 'error' event; the client still fails its commands and emits 'close'.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  async startServer(): Promise<void> {
    if (this.removed) throw new Error('this Dovecot was stopped for good');
    if (this.server) return;
    this.stderr = '';
    // Runtime files never carry over: a stale anvil-auth-penalty socket, say, makes auth spend
    // ~5 s trying to connect to it.
    rmSync(join(this.dir, 'run'), { recursive: true, force: true });
    mkdirSync(join(this.dir, 'run'));
    const server = new RunningServer(this.configPath, (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-16_384);
    });
    this.server = server;
    try {
      await server.started;
      await waitForGreeting(this.imapPort, Date.now() + START_TIMEOUT_MS, server);
    } catch (error) {
      await this.stopServer();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Dovecot did not start on ${HOST}:${this.imapPort} (${reason})\n${this.logTail()}`);
    }
  }

  async stopServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  async restart(): Promise<void> {
    await this.stopServer();
    await this.startServer();
  }

  async stop(): Promise<void> {
    await this.stopServer();
    if (!this.removed) rmSync(this.dir, { recursive: true, force: true });
    this.removed = true;
  }

  logTail(lines = 40): string {
    const log = existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : '';
    const tail = [...log.split('\n'), ...this.stderr.split('\n')].filter((line) => line !== '').slice(-lines);
    return tail.length > 0 ? `--- dovecot log (${this.logPath}) ---\n${tail.join('\n')}` : '(dovecot wrote no log)';
  }

  private async withImap<T>(user: string, password: string, work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connectImap(user, password);
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}

/**
 * One run of `dovecot -F` in a process group of its own, under a small shell.
 * - Stopping signals the whole group. Dovecot's master alone shuts down gently: IMAP processes keep
 *   serving a client that was active in the last 10 s, and the master sleeps 1 s for its log
 *   process. SIGTERM to every process at once drops all connections and is over in milliseconds.
 * - Node cannot have the kernel kill a child when the parent dies, so the shell's reader waits on
 *   the stdin pipe from this process; when it closes (this process ending in any way, even
 *   SIGKILL) it sends the group SIGTERM.
 * - The shell ignores that SIGTERM, reaps Dovecot and exits with its status, so the shell's exit
 *   means Dovecot has exited. It prints Dovecot's pid once all of this is in place.
 */
const SUPERVISOR = `
exec 3<&0
"$1" -F -c "$2" </dev/null &
dovecot=$!
(read -r _ <&3; kill -TERM 0) &
reader=$!
exec 3<&-
trap '' TERM
echo "$dovecot"
wait "$dovecot"
status=$?
kill -KILL "$reader" 2>/dev/null
exit "$status"
`;

class RunningServer {
  /** Resolves with Dovecot's pid once the shell has started it. */
  readonly started: Promise<number>;
  /** Resolves when the shell, and so Dovecot's master, has exited. */
  readonly exited: Promise<void>;
  hasExited = false;
  private readonly shell: ChildProcess;
  private readonly group: number;
  // A test process that ends without stop() still takes its Dovecot down with it.
  private readonly onProcessExit = () => this.signalGroup('SIGTERM');

  constructor(configPath: string, onStderr: (chunk: string) => void) {
    this.shell = spawn('/bin/sh', ['-c', SUPERVISOR, 'dovecot-supervisor', DOVECOT_BIN, configPath], {
      detached: true, // its own process group, led by the shell
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.group = this.shell.pid ?? 0;
    this.exited = new Promise((resolve) => this.shell.once('exit', () => resolve()));
    void this.exited.then(() => {
      this.hasExited = true;
      process.removeListener('exit', this.onProcessExit);
    });
    this.shell.stderr!.setEncoding('utf8').on('data', onStderr);
    this.started = new Promise((resolve, reject) => {
      let output = '';
      this.shell.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('\n')) resolve(Number(output.slice(0, output.indexOf('\n'))));
      });
      this.shell.once('error', reject);
      void this.exited.then(() => reject(new Error('the supervisor shell exited before starting Dovecot')));
    });
    process.on('exit', this.onProcessExit);
  }

  /** SIGTERM to every process of this Dovecot, SIGKILL to what is left after STOP_TIMEOUT_MS. */
  async stop(): Promise<void> {
    await this.started.catch(() => undefined);
    this.signalGroup('SIGTERM');
    if (!(await this.groupGone(STOP_TIMEOUT_MS))) {
      this.signalGroup('SIGKILL');
      await this.groupGone(1_000);
    }
    await this.exited;
    this.shell.stdin!.destroy();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.group === 0) return;
    try {
      process.kill(-this.group, signal);
    } catch {
      // the group is gone
    }
  }

  /** Whether every process of the group has exited (checked until `timeoutMs`). */
  private async groupGone(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        process.kill(-this.group, 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(10);
    }
  }
}

async function waitForGreeting(port: number, deadline: number, server: RunningServer): Promise<void> {
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (server.hasExited) throw new Error('dovecot exited');
    try {
      const greeting = await readGreeting(port, Math.max(100, Math.min(2_000, deadline - Date.now())));
      if (greeting.startsWith('* OK')) return;
      lastError = `unexpected greeting ${JSON.stringify(greeting)}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(50);
  }
  throw new Error(`no IMAP greeting on ${HOST}:${port} within ${START_TIMEOUT_MS} ms: ${lastError}`);
}

function readGreeting(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    let data = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out waiting for the greeting')));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before the greeting')));
  });
}

/** Ports the kernel hands out for port 0 are free now; all are held at once so they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve));
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function renderTemplate(template: string, values: Record<string, string>): string {
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    if (!(name in values)) throw new Error(`dovecot.conf.template: no value for ${match}`);
    return values[name];
  });
  return rendered;
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`no "${name}" user in /etc/passwd for Dovecot's mail processes`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Maildir++ keeps INBOX in the user's root and every other mailbox in "<root>/.<name>". */
function maildirFolder(root: string, mailbox: string): string {
  if (mailbox.toUpperCase() === 'INBOX') return root;
  if (!/^[\x20-\x7e]+$/.test(mailbox) || mailbox.includes('/')) {
    throw new Error(`recreateMailbox supports plain ASCII mailbox names only, not ${JSON.stringify(mailbox)}`);
  }
  const folder = join(root, `.${mailbox}`);
  if (!existsSync(folder)) throw new Error(`no mailbox ${mailbox} at ${folder}`);
  return folder;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
