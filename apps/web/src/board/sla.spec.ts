/// <reference types="jest" />
import type { Ticket } from '../api/types';
import { addBreach, applyTicket, clockParts, compareByDue, displayState, nextClock, seedBreaches } from './sla';

const NOW = Date.parse('2027-03-21T08:00:00.000Z');
const at = (sec: number) => new Date(NOW + sec * 1000).toISOString();

function ticket(id: string, sla: Partial<Ticket['sla']> = {}, extra: Partial<Ticket> = {}): Ticket {
  return {
    id,
    number: 1,
    subject: id,
    status: 'open',
    priority: 'normal',
    channel: { id: 'c', type: 'api', name: 'api' },
    customer: { id: 'u', name: 'U' },
    assigneeId: null,
    teamId: null,
    tags: [],
    createdAt: at(-60),
    updatedAt: at(0),
    lastMessageAt: at(-60),
    firstResponseAt: null,
    resolvedAt: null,
    sla: { policyId: 'p', firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, state: 'on_track', ...sla },
    ...extra,
  };
}

const all = { teamId: '', priority: '' as const };

describe('SLA board logic', () => {
  it('takes the running clock that falls due first, and sorts paused tickets last', () => {
    const a = ticket('a', { firstResponseDueAt: at(300), resolutionDueAt: at(100) });
    expect(nextClock(a)).toEqual({ metric: 'resolution', dueAt: NOW + 100_000 });
    const b = ticket('b', { nextResponseDueAt: at(50) });
    const paused = ticket('c', { state: 'paused' });
    expect([paused, a, b].sort(compareByDue).map((t) => t.id)).toEqual(['b', 'a', 'c']);
    expect(displayState(b, NOW + 49_000)).toBe('on_track');
    expect(displayState(b, NOW + 50_000)).toBe('breached');
  });

  it('re-sorts a pushed ticket into the list, drops resolved or filtered ones, ignores stale pushes', () => {
    let list = [ticket('a', { firstResponseDueAt: at(100) }), ticket('b', { firstResponseDueAt: at(200) })];
    list = applyTicket(list, ticket('c', { firstResponseDueAt: at(150) }), all, 10);
    expect(list.map((t) => t.id)).toEqual(['a', 'c', 'b']);
    list = applyTicket(list, ticket('a', { firstResponseDueAt: at(300) }, { updatedAt: at(5) }), all, 10);
    expect(list.map((t) => t.id)).toEqual(['c', 'b', 'a']);
    expect(applyTicket(list, ticket('a', { firstResponseDueAt: at(1) }, { updatedAt: at(1) }), all, 10)).toBe(list); // older than shown
    list = applyTicket(list, ticket('c', {}, { status: 'resolved', updatedAt: at(9) }), all, 10);
    expect(list.map((t) => t.id)).toEqual(['b', 'a']);
    expect(applyTicket(list, ticket('d', { firstResponseDueAt: at(1) }, { priority: 'low' }), { teamId: '', priority: 'urgent' }, 10)).toBe(list);
    expect(applyTicket(list, ticket('e', { policyId: null }), all, 10)).toBe(list);
    expect(applyTicket(list, ticket('f', { firstResponseDueAt: at(1) }), all, 2).map((t) => t.id)).toEqual(['f', 'b']);
  });

  it('keeps the breach feed newest first, once per clock instant, after the breaches already on the board', () => {
    const old = ticket('old', { firstResponseDueAt: at(-600), state: 'breached' });
    let feed = seedBreaches([], [old, ticket('fine', { firstResponseDueAt: at(600) })], NOW);
    expect(feed.map((e) => [e.ticket.id, e.live])).toEqual([['old', false]]);
    const event = { metric: 'first_response' as const, dueAt: at(5), ticket: ticket('new', { firstResponseDueAt: at(5), state: 'breached' }) };
    feed = addBreach(feed, event, NOW + 5_100);
    feed = addBreach(feed, event, NOW + 5_200); // a repeat
    expect(feed.map((e) => [e.ticket.id, e.live])).toEqual([
      ['new', true],
      ['old', false],
    ]);
    expect(seedBreaches(feed, [old, event.ticket], NOW + 6_000)).toBe(feed); // nothing new to seed
  });

  it('splits a countdown into days, hours, minutes and seconds', () => {
    expect(clockParts(90_061_000)).toEqual([1, 1, 1, 1]);
    expect(clockParts(-61_500)).toEqual([0, 0, 1, 1]);
  });
});
