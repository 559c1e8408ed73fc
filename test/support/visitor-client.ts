import { io, Socket } from 'socket.io-client';
import { eventually } from './test-server';

/** A website visitor's widget: socket.io on /webchat, every `message` and the `session` recorded. */
export class Visitor {
  readonly messages: any[] = [];
  readonly typing: any[] = [];
  session: { visitorId: string; visitorToken: string; title: string; greeting: string | null } | null = null;

  private constructor(readonly socket: Socket) {
    socket.on('message', (m) => this.messages.push(m));
    socket.on('session', (s) => (this.session = s));
    socket.on('typing', (t) => this.typing.push(t));
  }

  static async connect(baseUrl: string, auth: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Visitor> {
    const socket = io(`${baseUrl}/webchat`, { auth, transports: ['websocket'], reconnection: false, extraHeaders: headers });
    const visitor = new Visitor(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    await eventually(async () => visitor.session ?? undefined, 5_000, 'session');
    return visitor;
  }

  say(text: string, clientMessageId: string, extra: Record<string, unknown> = {}): Promise<any> {
    return this.socket.timeout(5_000).emitWithAck('message.send', { clientMessageId, text, ...extra });
  }

  history(): Promise<any> {
    return this.socket.timeout(5_000).emitWithAck('history', null);
  }

  close(): void {
    this.socket.disconnect();
  }
}
