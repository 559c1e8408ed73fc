import { Injectable } from '@nestjs/common';
import { Actor, AuditService } from '@pasokh/audit';
import { TransactionService } from '@pasokh/database';
import { BusinessCalendarEntity } from './business-calendar.entity';
import { CalendarError, parseCalendar } from './calendar';
import { CalendarDto, CreateCalendarDto, CreatePolicyDto, PolicyDto, UpdatePolicyDto } from './dto/sla-config.dto';
import { holidaysFromIcs } from './ics';
import { SlaClockService } from './sla-clock.service';
import { SlaConfigRepository } from './sla-config.repository';
import { SlaPolicyEntity, SlaPolicyMatch } from './sla-policy.entity';
import { SlaErrorCode, SlaException } from './sla.exception';

const MATCH_FIELDS = ['priority', 'channelType', 'tier'] as const;

/**
 * Business calendars and SLA policies. A policy change applies to tickets created after it: each
 * ticket records the policy it got (the SLA engine itself is the next step, see docs/ARCHITECTURE.md).
 */
@Injectable()
export class SlaConfigService {
  constructor(
    private readonly config: SlaConfigRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly clocks: SlaClockService,
  ) {}

  async listCalendars(): Promise<CalendarDto[]> {
    return (await this.config.calendars()).map(toCalendarDto);
  }

  async createCalendar(actor: Actor, input: CreateCalendarDto): Promise<CalendarDto> {
    const calendar = validCalendar({ timezone: input.timezone, weekly: input.weekly, holidays: input.holidays ?? [] });
    return this.tx.run(async ({ manager }) => {
      const id = await this.config.insertCalendar(manager, { name: input.name.trim(), ...calendar });
      if (!id) throw new SlaException(SlaErrorCode.CALENDAR_NAME_TAKEN, `a calendar named ${input.name} exists`);
      await this.audit.record(manager, actor, { action: 'calendar.created', entityType: 'business_calendar', entityId: id, data: { name: input.name, ...calendar } });
      return toCalendarDto((await this.config.calendar(id, manager))!);
    });
  }

  /** Adds the dates of an iCalendar (.ics) file to the calendar's holidays. */
  async importHolidays(actor: Actor, id: string, ics: string): Promise<CalendarDto> {
    const current = await this.findCalendar(id);
    let imported: string[];
    try {
      imported = holidaysFromIcs(ics);
    } catch (error) {
      throw new SlaException(SlaErrorCode.INVALID_CALENDAR, (error as Error).message);
    }
    const holidays = validCalendar({ timezone: current.timezone, weekly: current.weekly, holidays: [...current.holidays, ...imported] }).holidays;
    return this.tx.run(async ({ manager }) => {
      await this.config.updateCalendar(manager, id, { holidays });
      this.clocks.forgetConfiguration();
      await this.audit.record(manager, actor, { action: 'calendar.holidays_imported', entityType: 'business_calendar', entityId: id, data: { imported } });
      return toCalendarDto((await this.config.calendar(id, manager))!);
    });
  }

  async listPolicies(): Promise<PolicyDto[]> {
    return (await this.config.policies()).map(toPolicyDto);
  }

  async createPolicy(actor: Actor, input: CreatePolicyDto): Promise<PolicyDto> {
    if (!input.firstResponseSec && !input.nextResponseSec && !input.resolutionSec) {
      throw new SlaException(SlaErrorCode.INVALID_POLICY, 'a policy needs at least one of firstResponseSec, nextResponseSec, resolutionSec');
    }
    if (input.calendarId) await this.findCalendar(input.calendarId);
    const match = validMatch(input.match ?? {});
    return this.tx.run(async ({ manager }) => {
      const policy: Partial<SlaPolicyEntity> = {
        name: input.name.trim(),
        position: input.position ?? (await this.config.nextPosition(manager)),
        match,
        firstResponseSec: input.firstResponseSec ?? null,
        nextResponseSec: input.nextResponseSec ?? null,
        resolutionSec: input.resolutionSec ?? null,
        calendarId: input.calendarId ?? null,
        warnPercent: input.warnPercent ?? null,
        warnBeforeSec: input.warnBeforeSec ?? null,
        active: input.active ?? true,
      };
      const id = await this.config.insertPolicy(manager, policy);
      this.clocks.forgetConfiguration();
      await this.audit.record(manager, actor, { action: 'sla_policy.created', entityType: 'sla_policy', entityId: id, data: { ...policy } });
      return toPolicyDto((await this.config.policy(id, manager))!);
    });
  }

  /** Name, match, order and active only: a ticket keeps the targets of the policy it got. */
  async updatePolicy(actor: Actor, id: string, input: UpdatePolicyDto): Promise<PolicyDto> {
    const patch: Partial<SlaPolicyEntity> = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.match !== undefined) patch.match = validMatch(input.match);
    if (input.position !== undefined) patch.position = input.position;
    if (input.active !== undefined) patch.active = input.active;
    return this.tx.run(async ({ manager }) => {
      if (!(await this.config.policy(id, manager))) throw new SlaException(SlaErrorCode.POLICY_NOT_FOUND, `policy ${id} not found`);
      await this.config.updatePolicy(manager, id, patch);
      this.clocks.forgetConfiguration();
      await this.audit.record(manager, actor, { action: 'sla_policy.updated', entityType: 'sla_policy', entityId: id, data: { ...patch } });
      return toPolicyDto((await this.config.policy(id, manager))!);
    });
  }

  private async findCalendar(id: string): Promise<BusinessCalendarEntity> {
    const calendar = await this.config.calendar(id);
    if (!calendar) throw new SlaException(SlaErrorCode.CALENDAR_NOT_FOUND, `calendar ${id} not found`);
    return calendar;
  }
}

function validCalendar(input: unknown) {
  try {
    return parseCalendar(input);
  } catch (error) {
    if (error instanceof CalendarError) throw new SlaException(SlaErrorCode.INVALID_CALENDAR, error.message);
    throw error;
  }
}

/** `{ priority: 'urgent' }` or `{ priority: ['high', 'urgent'] }` → lists; unknown fields are refused. */
function validMatch(input: Record<string, unknown>): SlaPolicyMatch {
  const match: SlaPolicyMatch = {};
  for (const [key, value] of Object.entries(input)) {
    if (!(MATCH_FIELDS as readonly string[]).includes(key)) {
      throw new SlaException(SlaErrorCode.INVALID_POLICY, `match.${key} is not a match field (use ${MATCH_FIELDS.join(', ')})`);
    }
    const list = Array.isArray(value) ? value : [value];
    if (!list.length || list.some((v) => typeof v !== 'string' || !v)) {
      throw new SlaException(SlaErrorCode.INVALID_POLICY, `match.${key} must be a string or a list of strings`);
    }
    match[key as (typeof MATCH_FIELDS)[number]] = list as string[];
  }
  return match;
}

function toCalendarDto(c: BusinessCalendarEntity): CalendarDto {
  return { id: c.id, name: c.name, timezone: c.timezone, weekly: c.weekly, holidays: c.holidays, createdAt: c.createdAt.toISOString() };
}

function toPolicyDto(p: SlaPolicyEntity): PolicyDto {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    match: p.match,
    firstResponseSec: p.firstResponseSec,
    nextResponseSec: p.nextResponseSec,
    resolutionSec: p.resolutionSec,
    calendarId: p.calendarId,
    warnPercent: p.warnPercent,
    warnBeforeSec: p.warnBeforeSec,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
  };
}
