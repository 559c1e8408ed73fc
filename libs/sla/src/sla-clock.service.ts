import { Injectable } from '@nestjs/common';
import { Tx } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { EntityManager } from 'typeorm';
import { BusinessCalendarEntity } from './business-calendar.entity';
import { businessSecondsBetween } from './business-time';
import { ALWAYS_OPEN, BusinessCalendar } from './calendar';
import { matchPolicy } from './policy-match';
import { nextCheckAt, pauseClock, resumeClock, SLA_METRICS, SlaClock, SlaClocks, SlaMetric, slaState, startClock, stopClock } from './sla-clock';
import { SlaClockRepository, TicketSlaRow } from './sla-clock.repository';
import { SlaPolicyEntity } from './sla-policy.entity';

export type SlaTicketEvent =
  | { kind: 'customer_message'; at: Date; ticketCreated: boolean }
  | { kind: 'agent_reply'; at: Date }
  | { kind: 'status'; at: Date; from: string; to: string };

const WAITING = new Set(['pending', 'snoozed']);
// Policies are read on every inbound message and reply; other instances' changes show within this.
const POLICY_CACHE_MS = 5_000;
const DONE = new Set(['resolved', 'closed']);

/**
 * Moves a ticket's SLA clocks in the transaction of the event that moves them (documented in
 * docs/ARCHITECTURE.md "SLA"): a new ticket gets the first matching policy and its first-response and
 * resolution clocks; a public agent reply stops first/next response; a customer message after an agent
 * reply starts next response; waiting on the customer pauses resolution; resolving stops every clock.
 */
@Injectable()
export class SlaClockService {
  private policiesExist: { value: boolean; until: number } | null = null;
  private configuration: { value: { policies: SlaPolicyEntity[]; calendars: BusinessCalendarEntity[] }; until: number } | null = null;

  constructor(
    private readonly repository: SlaClockRepository,
    private readonly events: DomainEvents,
  ) {}

  /** False while no policy exists: ingest then skips the SLA step (and its transaction) entirely. */
  async anyPolicy(): Promise<boolean> {
    if (!this.policiesExist || this.policiesExist.until < Date.now()) {
      this.policiesExist = { value: await this.repository.anyPolicy(), until: Date.now() + POLICY_CACHE_MS };
    }
    return this.policiesExist.value;
  }

  /** Called when this instance changes policies or calendars. */
  forgetConfiguration(): void {
    this.policiesExist = null;
    this.configuration = null;
  }

  async onTicketEvent(tx: Tx, ticketId: string, event: SlaTicketEvent): Promise<void> {
    const { manager } = tx;
    const ticket = await this.repository.ticket(manager, ticketId);
    if (!ticket) return;
    if (!ticket.sla_policy_id && !(event.kind === 'customer_message' && event.ticketCreated)) return;
    const { policies, calendars } = await this.configurationOf(manager);
    const policy = ticket.sla_policy_id
      ? policies.find((p) => p.id === ticket.sla_policy_id)
      : matchPolicy(policies, { priority: ticket.priority, channelType: ticket.channel_type, tier: ticket.tier });
    if (!policy) return;
    const calendar = calendarOf(policy, calendars);
    const before = ticket.sla_policy_id ? ticket.sla_clocks : {};
    const clocks = this.advance(calendar, policy, ticket, before, event);
    await this.recordStops(manager, ticket.id, policy.id, before, clocks);
    const next = nextCheckAt(clocks);
    await this.repository.save(manager, ticket.id, policy.id, clocks, slaState(clocks, event.at), next, this.measure(calendar, ticket, before, clocks));
    if (next) tx.afterCommit(() => this.events.publish({ type: 'sla.scheduled' }));
  }

  /** Policies and calendars, cached like anyPolicy; read through the caller's transaction on a miss. */
  private async configurationOf(manager: EntityManager) {
    if (!this.configuration || this.configuration.until < Date.now()) {
      this.configuration = { value: await this.repository.configuration(manager), until: Date.now() + POLICY_CACHE_MS };
    }
    return this.configuration.value;
  }

  private advance(calendar: BusinessCalendar, policy: SlaPolicyEntity, ticket: TicketSlaRow, current: SlaClocks, event: SlaTicketEvent): SlaClocks {
    const clocks: SlaClocks = { ...current };
    const set = (metric: SlaMetric, clock: SlaClock | undefined) => {
      if (clock) clocks[metric] = clock;
    };
    switch (event.kind) {
      case 'customer_message':
        if (!ticket.sla_policy_id) {
          set('first_response', startClock(calendar, policy, 'first_response', event.at));
          set('resolution', startClock(calendar, policy, 'resolution', event.at));
        } else if (clocks.first_response?.stoppedAt && (!clocks.next_response || clocks.next_response.stoppedAt)) {
          // The first customer message after an agent reply starts the next-response clock.
          set('next_response', startClock(calendar, policy, 'next_response', event.at));
        }
        break;
      case 'agent_reply':
        for (const metric of ['first_response', 'next_response'] as const) {
          if (clocks[metric] && !clocks[metric]!.stoppedAt) clocks[metric] = stopClock(clocks[metric]!, event.at);
        }
        break;
      case 'status':
        if (WAITING.has(event.to) && clocks.resolution) clocks.resolution = pauseClock(calendar, clocks.resolution, event.at);
        if (WAITING.has(event.from) && !WAITING.has(event.to) && clocks.resolution) {
          clocks.resolution = resumeClock(calendar, policy, 'resolution', clocks.resolution, event.at);
        }
        if (DONE.has(event.to)) {
          // Nothing keeps running once the ticket is resolved (peers leave next response ticking).
          for (const metric of SLA_METRICS) if (clocks[metric] && !clocks[metric]!.stoppedAt) clocks[metric] = stopClock(clocks[metric]!, event.at);
        }
        break;
    }
    return clocks;
  }

  /** Business-time durations for the reports, taken when first response and resolution stop. */
  private measure(calendar: BusinessCalendar, ticket: TicketSlaRow, before: SlaClocks, after: SlaClocks) {
    const stopped = (metric: SlaMetric) => after[metric]?.stoppedAt && !before[metric]?.stoppedAt ? after[metric]! : null;
    const spent = (clock: SlaClock) => {
      const stoppedAt = new Date(clock.stoppedAt!);
      const pausing = clock.pausedAt ? businessSecondsBetween(calendar, new Date(clock.pausedAt), stoppedAt) : 0;
      return Math.round(businessSecondsBetween(calendar, ticket.created_at, stoppedAt) - (clock.pausedSec ?? 0) - pausing);
    };
    const firstResponse = stopped('first_response');
    const resolution = stopped('resolution');
    return { firstResponseSec: firstResponse ? spent(firstResponse) : undefined, resolutionSec: resolution ? spent(resolution) : undefined };
  }

  /** A clock that stopped in time is recorded as met. */
  private async recordStops(manager: EntityManager, ticketId: string, policyId: string, before: SlaClocks, after: SlaClocks): Promise<void> {
    for (const metric of SLA_METRICS) {
      const clock = after[metric];
      if (clock?.stoppedAt && !before[metric]?.stoppedAt && !clock.breached) {
        await this.repository.recordEvent(manager, ticketId, policyId, metric, 'met', clock.dueAt);
      }
    }
  }
}

export function calendarOf(policy: SlaPolicyEntity, calendars: BusinessCalendarEntity[]): BusinessCalendar {
  const calendar = policy.calendarId ? calendars.find((c) => c.id === policy.calendarId) : null;
  return calendar ? { timezone: calendar.timezone, weekly: calendar.weekly, holidays: calendar.holidays } : ALWAYS_OPEN;
}
