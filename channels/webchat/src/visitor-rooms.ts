import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';

/** A message as the visitor sees it: no notes, no internal ids beyond the message's own. */
export interface VisitorMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  text: string;
  createdAt: string;
  /** The replying agent's name; null for the visitor's own messages. */
  agentName: string | null;
  attachments: VisitorFile[];
  /** Answers the visitor can tap (a rating's 1–5); absent on most messages. */
  quickReplies?: string[];
}

/** A file on a message; the widget downloads it from /webchat/:channelId/files/:id with its visitor token. */
export interface VisitorFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/**
 * The /webchat namespace, set by the gateway once socket.io is up. Every socket of one visitor (their
 * tabs) is in one room; with REDIS_URL the adapter carries an emit to the instance the visitor is on.
 */
@Injectable()
export class VisitorRooms {
  private namespace: Namespace | null = null;

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  get available(): boolean {
    return this.namespace !== null;
  }

  static room(channelId: string, visitorId: string): string {
    return `visitor:${channelId}:${visitorId}`;
  }

  send(channelId: string, visitorId: string, message: VisitorMessage): void {
    this.namespace?.to(VisitorRooms.room(channelId, visitorId)).emit('message', message);
  }

  typing(channelId: string, visitorId: string, signal: { agentName: string; isTyping: boolean }): void {
    this.namespace?.to(VisitorRooms.room(channelId, visitorId)).emit('typing', signal);
  }
}
