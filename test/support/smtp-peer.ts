import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

export interface SmtpPeerOptions {
  /** Require AUTH (PLAIN or LOGIN) with exactly these credentials; without it, AUTH is not offered. */
  auth?: { user: string; pass: string };
}

export interface CapturedMessage {
  envelope: { from: string; to: string[] };
  /** The DATA bytes exactly as received (dot-unstuffed, CRLF line ends). */
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpPeer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every accepted message, in order of arrival; rejected ones (failNext) are not kept. */
  readonly messages: CapturedMessage[];
  /** The first message, already received or still to come, that matches `predicate`. */
  waitForMessage(predicate?: (message: CapturedMessage) => boolean, timeoutMs?: number): Promise<CapturedMessage>;
  /** Reject the next `n` messages at the end of DATA with `code` (4xx: try again, 5xx: give up). */
  failNext(n: number, code?: number, message?: string): void;
  close(): Promise<void>;
}

interface Waiter {
  predicate: (message: CapturedMessage) => boolean;
  resolve: (message: CapturedMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A real SMTP server (smtp-server) in the test process: plaintext, 127.0.0.1, a random port. */
export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const messages: CapturedMessage[] = [];
  const waiters = new Set<Waiter>();
  let failures: { remaining: number; code: number; message: string } = { remaining: 0, code: 451, message: '' };
  const auth = options.auth;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true, // AUTH without TLS: there is no TLS here
    logger: false,
    closeTimeout: 1_000, // close() does not wait long for clients that keep their connection
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        callback(null, { user: credentials.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (failures.remaining > 0) {
          failures.remaining--;
          callback(Object.assign(new Error(failures.message), { responseCode: failures.code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        };
        // Parsed before the reply, so a message is in `messages` by the time the sender hears 250.
        simpleParser(raw).then(
          (parsed) => {
            const captured: CapturedMessage = { envelope, raw, parsed };
            messages.push(captured);
            for (const waiter of waiters) {
              if (waiter.predicate(captured)) settle(waiter, () => waiter.resolve(captured));
            }
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  function settle(waiter: Waiter, finish: () => void): void {
    clearTimeout(waiter.timer);
    waiters.delete(waiter);
    finish();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    messages,
    waitForMessage(predicate = () => true, timeoutMs = 10_000) {
      const received = messages.find(predicate);
      if (received) return Promise.resolve(received);
      return new Promise<CapturedMessage>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(
            () => settle(waiter, () => reject(new Error(`no matching message at the SMTP peer within ${timeoutMs} ms (${messages.length} received)`))),
            timeoutMs,
          ),
        };
        waiters.add(waiter);
      });
    },
    failNext(n, code = 451, message = 'try again later') {
      if (code < 400 || code > 599) throw new Error(`failNext needs a 4xx or 5xx code, not ${code}`);
      failures = { remaining: n, code, message };
    },
    async close() {
      for (const waiter of [...waiters]) settle(waiter, () => waiter.reject(new Error('the SMTP peer was closed')));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
