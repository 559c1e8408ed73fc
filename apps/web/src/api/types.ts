/** The API shapes of docs/API.md that the web app reads. */

export type Role = 'agent' | 'supervisor' | 'admin';
export type TicketStatus = 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type SlaState = 'none' | 'on_track' | 'at_risk' | 'breached' | 'paused' | 'met';
export type ChannelType = 'api' | 'email' | 'twilio_sms' | 'telegram' | 'messenger' | 'instagram' | 'whatsapp' | 'webchat';
export type DeliveryStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AgentSummary {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface Agent extends AgentSummary {
  active: boolean;
  teamIds: string[];
  createdAt: string;
  presence?: { status: 'online' | 'away' | 'offline'; lastSeenAt: string | null };
}

export interface Team {
  id: string;
  name: string;
  restricted: boolean;
  memberIds?: string[];
}

export interface Channel {
  id: string;
  type: ChannelType;
  name: string;
  active: boolean;
}

export interface TicketSla {
  policyId: string | null;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  state: SlaState;
}

export interface Ticket {
  id: string;
  number: number;
  subject: string | null;
  status: TicketStatus;
  priority: Priority;
  channel: { id: string; type: ChannelType; name: string };
  customer: { id: string; name: string | null };
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string;
  lastCustomerMessageAt?: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  messageCount?: number;
  snoozedUntil?: string | null;
  replyWindowEndsAt?: string | null;
  preview?: string | null;
  /** When the calling agent last read the ticket (null: never). */
  readAt?: string | null;
  sla: TicketSla;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
  stored?: boolean;
  note?: string | null;
  contentId?: string | null;
}

export interface Message {
  id: string;
  ticketId: string;
  direction: 'inbound' | 'outbound';
  kind: 'message' | 'note' | 'event';
  authorType: 'customer' | 'agent' | 'system';
  authorId: string | null;
  text: string | null;
  html: string | null;
  attachments: Attachment[];
  deliveryStatus: DeliveryStatus;
  error?: string | null;
  createdAt: string;
  editedAt?: string | null;
}

export interface Customer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tier: string | null;
  attributes: Record<string, unknown>;
  identities: Array<{ channelType: ChannelType; externalId: string }>;
  ticketCount: number;
  locale?: string | null;
  timezone?: string | null;
  createdAt: string;
}

export interface Preferences {
  language?: 'en' | 'fa';
  calendar?: 'gregorian' | 'persian';
  digits?: 'latn' | 'arabext';
}

export interface Viewer {
  agentId: string;
  name: string;
  replying: boolean;
  since: string;
}
