import { TicketDto } from './dto/ticket.dto';
import { TicketView } from './tickets.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `replyWindowMs`: the channel's free-form reply window, if it has one (WhatsApp). */
export function toTicketDto(row: TicketView, replyWindowMs?: number): TicketDto {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    channel: { id: row.channel_id, type: row.channel_type, name: row.channel_name },
    customer: { id: row.customer_id, name: row.customer_name },
    assigneeId: row.assignee_id,
    teamId: row.team_id,
    tags: row.tags,
    messageCount: row.message_count,
    snoozedUntil: iso(row.snoozed_until),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastMessageAt: row.last_message_at.toISOString(),
    lastCustomerMessageAt: iso(row.last_customer_message_at),
    firstResponseAt: iso(row.first_response_at),
    resolvedAt: iso(row.resolved_at),
    replyWindowEndsAt: replyWindowMs && row.last_customer_message_at ? new Date(row.last_customer_message_at.getTime() + replyWindowMs).toISOString() : null,
    sla: {
      policyId: row.sla_policy_id,
      firstResponseDueAt: iso(row.first_response_due_at),
      nextResponseDueAt: iso(row.next_response_due_at),
      resolutionDueAt: iso(row.resolution_due_at),
      state: row.sla_state,
    },
    // Per agent: only in the calling agent's REST reads, never in pushes (they go to many agents).
    ...(row.read_at !== undefined ? { readAt: iso(row.read_at) } : {}),
    ...(row.preview !== undefined ? { preview: row.preview } : {}),
  };
}
