import { SMTPServer } from 'smtp-server';

/** One message as the SMTP peer received it. */
export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** What the peer answers to one RCPT TO: accept, or an SMTP error code with a text. */
export type RcptAnswer = 'accept' | { code: number; message: string };

/**
 * A real SMTP server in the test process (the `smtp-server` package) on 127.0.0.1. It records every
 * message it accepts and can refuse recipients (451 / 550 …) to exercise retries and bounces.
 */
export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  /** Decides each RCPT TO; `attempt` counts the tries for that address (1 = first). */
  answer: (address: string, attempt: number) => RcptAnswer = () => 'accept';
  /** Milliseconds to wait before acknowledging a message (makes races between senders likelier). */
  delayMs = 0;
  private readonly attempts = new Map<string, number>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(port = 0): Promise<SmtpPeer> {
    // The server's callbacks need the peer, which needs the server's port: a small holder.
    const ref: { peer?: SmtpPeer } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const key = address.address.toLowerCase();
        const attempt = (ref.peer!.attempts.get(key) ?? 0) + 1;
        ref.peer!.attempts.set(key, attempt);
        const answer = ref.peer!.answer(key, attempt);
        if (answer === 'accept') return callback();
        return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const done = () => {
            ref.peer!.received.push({
              to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()),
              raw: Buffer.concat(chunks).toString('latin1'),
            });
            callback();
          };
          if (ref.peer!.delayMs > 0) setTimeout(done, ref.peer!.delayMs);
          else done();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = (
      server as unknown as { server: { address(): { port: number } } }
    ).server.address();
    ref.peer = new SmtpPeer(server, address.port);
    return ref.peer;
  }

  /** How many accepted messages went to `address`. */
  count(address: string): number {
    const a = address.toLowerCase();
    return this.received.filter((m) => m.to.includes(a)).length;
  }

  to(address: string): ReceivedMail[] {
    const a = address.toLowerCase();
    return this.received.filter((m) => m.to.includes(a));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Header block with folded lines joined, and the decoded (quoted-printable) text of a message. */
export function readMail(raw: string): { headers: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4).replace(/=\r\n/g, '');
  const bytes = body.replace(/=([0-9A-F]{2})/g, (_, h: string) =>
    String.fromCharCode(parseInt(h, 16)),
  );
  return { headers, text: Buffer.from(bytes, 'latin1').toString('utf8') };
}

/** A local port with nothing listening on it (an SMTP server that is down). */
export async function deadPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns true (or a value), failing after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
