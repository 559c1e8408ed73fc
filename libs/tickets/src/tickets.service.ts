import { Injectable } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { ChannelAdapterRegistry } from '@pasokh/channel-core';
import { decodeCursor, DEFAULT_PAGE_SIZE, normalizeText, Page, Principal, toAsciiDigits, toPage } from '@pasokh/common';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { SlaClockService } from '@pasokh/sla';
import { EntityManager } from 'typeorm';
import { ListTicketsQuery, SlaBoardDto, SlaBoardQuery, TicketDto, TicketReadDto, UpdateTicketDto } from './dto/ticket.dto';
import { TicketEntity } from './ticket.entity';
import { toTicketDto } from './ticket.mapper';
import { TicketsErrorCode, TicketsException } from './tickets.exception';
import { TicketFilter, TicketsRepository, TicketView } from './tickets.repository';

/** Agents see every ticket but those of restricted teams they are not in; supervisors and admins see all. */
export function viewerFilter(principal: Principal): string | undefined {
  return principal.role === 'agent' ? principal.agentId : undefined;
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly sla: SlaClockService,
  ) {}

  async list(principal: Principal, query: ListTicketsQuery): Promise<Page<TicketDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const filter: TicketFilter = {
      status: query.status,
      priority: query.priority,
      channelType: query.channelType,
      channelId: query.channelId,
      assigneeId: query.assigneeId === 'me' ? principal.agentId : query.assigneeId,
      teamId: query.teamId,
      tag: query.tag,
      customerId: query.customerId,
      viewerAgentId: viewerFilter(principal),
    };
    if (query.q) {
      const numberMatch = /^#?(\d+)$/.exec(toAsciiDigits(query.q.trim()));
      filter.search = { text: normalizeText(query.q), number: numberMatch ? Number(numberMatch[1]) : null };
    }
    const rows = await this.tickets.list(filter, after, limit, principal.agentId);
    return toPage(rows, limit, (r) => [r.last_message_at.toISOString(), r.id], (r) => this.toDto(r));
  }

  /** As `principal` sees it (with their readAt); `principal` null = unchecked, as pushes see it. */
  async get(principal: Principal | null, id: string, manager?: EntityManager): Promise<TicketDto> {
    const row = await this.tickets.view(id, manager, principal ? viewerFilter(principal) : undefined, principal?.agentId);
    if (!row) throw new TicketsException(TicketsErrorCode.TICKET_NOT_FOUND, `ticket ${id} not found`);
    return this.toDto(row);
  }

  private toDto(row: TicketView): TicketDto {
    return toTicketDto(row, this.adapters.find(row.channel_type)?.replyWindowMs);
  }

  /** Supervisors' board: open tickets under a policy, nearest due first, and the count per state. */
  async slaBoard(principal: Principal, query: SlaBoardQuery): Promise<SlaBoardDto> {
    const { counts, rows } = await this.tickets.slaBoard(
      {
        teamId: query.teamId,
        assigneeId: query.assigneeId === 'me' ? principal.agentId : query.assigneeId,
        channelType: query.channelType,
        priority: query.priority,
        viewerAgentId: viewerFilter(principal),
      },
      query.limit ?? DEFAULT_PAGE_SIZE,
    );
    return {
      summary: { breached: counts.get('breached') ?? 0, atRisk: counts.get('at_risk') ?? 0, onTrack: counts.get('on_track') ?? 0, paused: counts.get('paused') ?? 0 },
      tickets: rows.map((row) => this.toDto(row)),
    };
  }

  /** Tickets in the API shape and who may see each, by id, for pushes; missing ids are left out. */
  async forPush(ids: string[]): Promise<Map<string, { ticket: TicketDto; restrictedTeamId: string | null }>> {
    const rows = await this.tickets.viewMany(ids);
    return new Map(rows.map((row) => [row.id, { ticket: this.toDto(row), restrictedTeamId: row.restricted_team_id }]));
  }

  /** The calling agent has read the ticket now (the inbox's unread state is per agent). */
  async markRead(principal: Principal, id: string): Promise<TicketReadDto> {
    await this.assertVisible(principal, id);
    const readAt = await this.tickets.markRead(principal.agentId, id, new Date());
    return { ticketId: id, readAt: readAt.toISOString() };
  }

  /** Throws TICKET_NOT_FOUND unless the principal may see the ticket. */
  async assertVisible(principal: Principal, id: string): Promise<void> {
    await this.get(principal, id);
  }

  async update(principal: Principal, id: string, input: UpdateTicketDto): Promise<TicketDto> {
    return this.tx.run(async (tx) => {
      const { manager, afterCommit } = tx;
      await this.get(principal, id, manager);
      const ticket = (await this.tickets.findForUpdate(manager, id))!;
      const patch = await this.buildPatch(manager, ticket, input);
      const changes = Object.fromEntries(
        Object.entries(patch).map(([key, value]) => [key, { from: (ticket as unknown as Record<string, unknown>)[key], to: value }]),
      );
      if (Object.keys(patch).length) {
        await this.tickets.update(manager, id, patch);
        await this.audit.record(manager, { type: 'agent', id: principal.agentId }, { action: 'ticket.updated', entityType: 'ticket', entityId: id, data: changes });
        afterCommit(() => this.events.publish({ type: 'ticket.updated', ticketId: id }));
        if (patch.status === 'resolved') afterCommit(() => this.events.publish({ type: 'ticket.resolved', ticketId: id, byAgentId: principal.agentId }));
        // Taking a ticket yourself needs no notice; being given one does.
        if (patch.assigneeId && patch.assigneeId !== principal.agentId) {
          const assigneeId = patch.assigneeId;
          afterCommit(() => this.events.publish({ type: 'ticket.assigned', ticketId: id, assigneeId, byAgentId: principal.agentId }));
        }
      }
      if (patch.status) await this.sla.onTicketEvent(tx, id, { kind: 'status', at: new Date(), from: ticket.status, to: patch.status });
      const row = await this.tickets.view(id, manager, undefined, principal.agentId);
      return this.toDto(row!);
    });
  }

  private async buildPatch(manager: EntityManager, ticket: TicketEntity, input: UpdateTicketDto): Promise<Partial<TicketEntity>> {
    const patch: Partial<TicketEntity> = {};
    if (input.status !== undefined && input.status !== ticket.status) {
      patch.status = input.status;
      const now = new Date();
      if (input.status === 'resolved') patch.resolvedAt = now;
      if (input.status === 'closed') {
        patch.closedAt = now;
        patch.resolvedAt = ticket.resolvedAt ?? now;
      }
      if (input.status === 'open' || input.status === 'pending') {
        patch.resolvedAt = null;
        patch.closedAt = null;
      }
      if (input.status === 'snoozed' && !input.snoozedUntil) {
        throw new TicketsException(TicketsErrorCode.SNOOZE_NEEDS_TIME, 'status snoozed needs snoozedUntil');
      }
      if (input.status !== 'snoozed') patch.snoozedUntil = null;
    }
    if (input.snoozedUntil !== undefined) {
      // A snoozed ticket without a time would never wake: clearing the time means reopening it.
      if (input.snoozedUntil === null && (input.status ?? ticket.status) === 'snoozed') {
        throw new TicketsException(TicketsErrorCode.SNOOZE_NEEDS_TIME, 'a snoozed ticket needs snoozedUntil; set status to open to end the snooze');
      }
      patch.snoozedUntil = input.snoozedUntil ? new Date(input.snoozedUntil) : null;
      if (patch.snoozedUntil && (input.status ?? ticket.status) !== 'snoozed') patch.status = 'snoozed';
    }
    if (input.priority !== undefined && input.priority !== ticket.priority) patch.priority = input.priority;
    if (input.subject !== undefined) patch.subject = input.subject;
    if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
      if (input.assigneeId && !(await this.tickets.existsAgent(manager, input.assigneeId))) {
        throw new TicketsException(TicketsErrorCode.ASSIGNEE_NOT_FOUND, `agent ${input.assigneeId} does not exist or is deactivated`);
      }
      patch.assigneeId = input.assigneeId;
    }
    if (input.teamId !== undefined && input.teamId !== ticket.teamId) {
      if (input.teamId && !(await this.tickets.existsTeam(manager, input.teamId))) {
        throw new TicketsException(TicketsErrorCode.TEAM_NOT_FOUND, `team ${input.teamId} does not exist`);
      }
      patch.teamId = input.teamId;
    }
    if (input.tags !== undefined) {
      patch.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
    }
    if (patch.subject !== undefined) patch.searchText = normalizeText(patch.subject);
    return patch;
  }
}
