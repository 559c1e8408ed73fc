import type { Principal } from '@pasokh/common';
import type { Namespace, Socket } from 'socket.io';

/** What the server keeps on each agent socket. Plain data: other instances read it via fetchSockets. */
export interface AgentSocketData {
  principal: Principal;
  /** Tickets this socket has open: when it started, its last heartbeat, and until when it is typing. */
  views: Record<string, { since: number; seenAt: number; typingUntil: number | null }>;
  /** The client asked for batched broadcasts (`auth.batch`): it is in the batched audience rooms. */
  batch: boolean;
}

// Event names and payloads are the API.md contract; socket.io's typed maps add nothing here.
type AnyEvents = Record<string, (...args: any[]) => void>;
export type AgentSocket = Socket<AnyEvents, AnyEvents, AnyEvents, AgentSocketData>;
export type AgentsNamespace = Namespace<AnyEvents, AnyEvents, AnyEvents, AgentSocketData>;

/** Room names: one place, so the publisher and the gateway agree. */
export const rooms = {
  allAgents: 'agents',
  supervisors: 'supervisors',
  agent: (agentId: string) => `agent:${agentId}`,
  token: (tokenId: string) => `token:${tokenId}`,
  team: (teamId: string) => `team:${teamId}`,
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  /** An audience room's twin for sockets that take broadcasts in batches (see Broadcaster). */
  batched: (room: string) => `${room}#batched`,
};
