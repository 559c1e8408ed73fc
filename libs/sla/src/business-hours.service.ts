import { Injectable } from '@nestjs/common';
import { businessIntervals, isBusinessTime } from './business-time';
import { SlaConfigRepository } from './sla-config.repository';

/** Whether a team is at work now, by one of its business calendars (a chat's "we're away" notice, away replies). */
@Injectable()
export class BusinessHours {
  constructor(private readonly config: SlaConfigRepository) {}

  /**
   * null: no calendar has this id. `opensAt`: the start of the next business interval when closed;
   * `timezone`: the calendar's, to say that time as the team's clock reads it.
   */
  async state(calendarId: string, at = new Date()): Promise<{ open: boolean; opensAt: Date | null; timezone: string } | null> {
    const entity = await this.config.calendar(calendarId);
    if (!entity) return null;
    const calendar = { timezone: entity.timezone, weekly: entity.weekly, holidays: entity.holidays };
    if (isBusinessTime(calendar, at)) return { open: true, opensAt: null, timezone: entity.timezone };
    const next = businessIntervals(calendar, at).next();
    return { open: false, opensAt: next.done ? null : next.value[0], timezone: entity.timezone };
  }
}
