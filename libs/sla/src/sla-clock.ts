import { addBusinessSeconds, businessSecondsBetween } from './business-time';
import { BusinessCalendar } from './calendar';

export type SlaMetric = 'first_response' | 'next_response' | 'resolution';
export const SLA_METRICS: readonly SlaMetric[] = ['first_response', 'next_response', 'resolution'];

export interface SlaTargets {
  firstResponseSec: number | null;
  nextResponseSec: number | null;
  resolutionSec: number | null;
  warnPercent: number | null;
  warnBeforeSec: number | null;
}

/** One running (or finished) clock, as stored in tickets.sla_clocks. Instants are ISO strings. */
export interface SlaClock {
  dueAt: string | null;
  warnAt: string | null;
  /** Set while paused: business seconds left until due (negative once breached). */
  remainingSec: number | null;
  warned: boolean;
  breached: boolean;
  /** Set when the clock stopped: met if it stopped before due. */
  stoppedAt: string | null;
  /** Business seconds spent paused (waiting on the customer): not part of the measured time. */
  pausedSec?: number;
  /** When the current pause began. */
  pausedAt?: string | null;
}

export type SlaClocks = Partial<Record<SlaMetric, SlaClock>>;

const TARGET: Record<SlaMetric, keyof SlaTargets> = {
  first_response: 'firstResponseSec',
  next_response: 'nextResponseSec',
  resolution: 'resolutionSec',
};

/** Starts `metric` at `at` if the policy has a target for it; the warning follows the policy's threshold. */
export function startClock(calendar: BusinessCalendar, targets: SlaTargets, metric: SlaMetric, at: Date, remainingSec?: number): SlaClock | undefined {
  const target = targets[TARGET[metric]] as number | null;
  if (!target) return undefined;
  const left = remainingSec ?? target;
  const due = addBusinessSeconds(calendar, at, Math.max(0, left));
  const warnLead = targets.warnBeforeSec ?? (targets.warnPercent ? Math.round((target * (100 - targets.warnPercent)) / 100) : null);
  const warnAt = warnLead !== null && left > warnLead ? addBusinessSeconds(calendar, at, left - warnLead) : null;
  return { dueAt: due.toISOString(), warnAt: warnAt?.toISOString() ?? null, remainingSec: null, warned: false, breached: left <= 0, stoppedAt: null };
}

/** Pauses a running clock (waiting on the customer): it keeps the business time that was left. */
export function pauseClock(calendar: BusinessCalendar, clock: SlaClock, at: Date): SlaClock {
  if (!clock.dueAt || clock.stoppedAt) return clock;
  const due = new Date(clock.dueAt);
  const left = due > at ? businessSecondsBetween(calendar, at, due) : -businessSecondsBetween(calendar, due, at);
  return { ...clock, dueAt: null, warnAt: null, remainingSec: Math.round(left), pausedAt: at.toISOString() };
}

export function resumeClock(calendar: BusinessCalendar, targets: SlaTargets, metric: SlaMetric, clock: SlaClock, at: Date): SlaClock {
  if (clock.remainingSec === null || clock.stoppedAt) return clock;
  const resumed = startClock(calendar, targets, metric, at, clock.remainingSec)!;
  const paused = clock.pausedAt ? Math.round(businessSecondsBetween(calendar, new Date(clock.pausedAt), at)) : 0;
  return {
    ...resumed,
    warned: clock.warned || resumed.warnAt === null,
    breached: clock.breached || resumed.breached,
    pausedSec: (clock.pausedSec ?? 0) + paused,
    pausedAt: null,
  };
}

/** Stops a clock: met when it stops before its due instant. */
export function stopClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.stoppedAt) return clock;
  const late = clock.dueAt ? at > new Date(clock.dueAt) : (clock.remainingSec ?? 1) <= 0;
  return { ...clock, stoppedAt: at.toISOString(), breached: clock.breached || late };
}

export type SlaStateName = 'none' | 'on_track' | 'at_risk' | 'breached' | 'paused' | 'met';

/** The ticket's one-word SLA state at `now`. */
export function slaState(clocks: SlaClocks, now: Date): SlaStateName {
  const all = SLA_METRICS.map((m) => clocks[m]).filter((c): c is SlaClock => !!c);
  if (!all.length) return 'none';
  const running = all.filter((c) => !c.stoppedAt);
  if (all.some((c) => c.breached || (c.dueAt && !c.stoppedAt && new Date(c.dueAt) <= now))) return 'breached';
  if (!running.length) return 'met';
  if (running.every((c) => c.remainingSec !== null)) return 'paused';
  if (running.some((c) => c.warnAt && new Date(c.warnAt) <= now)) return 'at_risk';
  return 'on_track';
}

/** The next instant something happens to these clocks (a warning or a breach not yet announced). */
export function nextCheckAt(clocks: SlaClocks): Date | null {
  let next: number | null = null;
  for (const clock of Object.values(clocks)) {
    if (!clock || clock.stoppedAt || !clock.dueAt) continue;
    const candidates = [!clock.warned && clock.warnAt ? Date.parse(clock.warnAt) : null, !clock.breached ? Date.parse(clock.dueAt) : null];
    for (const at of candidates) if (at !== null && (next === null || at < next)) next = at;
  }
  return next === null ? null : new Date(next);
}
