import { SlaPolicyMatch } from './sla-policy.entity';

export interface TicketFacts {
  priority: string;
  channelType: string;
  tier: string;
}

/** The first policy, in evaluation order, whose match fits the ticket; a missing match field fits anything. */
export function matchPolicy<P extends { match: SlaPolicyMatch; active: boolean }>(policies: P[], ticket: TicketFacts): P | null {
  return (
    policies.find(
      (p) =>
        p.active &&
        (!p.match.priority || p.match.priority.includes(ticket.priority)) &&
        (!p.match.channelType || p.match.channelType.includes(ticket.channelType)) &&
        (!p.match.tier || p.match.tier.includes(ticket.tier)),
    ) ?? null
  );
}
