/** An online agent who could take a ticket, as the assigner sees them during one round. */
export interface Candidate {
  agentId: string;
  teamIds: string[];
  /** Open tickets assigned to them now (pending and snoozed ones wait on someone else). */
  open: number;
  lastAssignedAt: Date | null;
}

/**
 * Who gets the ticket: a member of its team (anyone when it has none) with room under the cap; the
 * least loaded first, and between equals the one assigned longest ago (round robin). Null: nobody.
 */
export function chooseAgent(candidates: Candidate[], ticket: { teamId: string | null; maxOpenPerAgent: number | null }): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (ticket.teamId && !c.teamIds.includes(ticket.teamId)) continue;
    if (ticket.maxOpenPerAgent !== null && c.open >= ticket.maxOpenPerAgent) continue;
    if (!best || c.open < best.open || (c.open === best.open && assignedEarlier(c, best))) best = c;
  }
  return best;
}

function assignedEarlier(a: Candidate, b: Candidate): boolean {
  if (!a.lastAssignedAt) return b.lastAssignedAt !== null || a.agentId < b.agentId;
  if (!b.lastAssignedAt) return false;
  return a.lastAssignedAt.getTime() < b.lastAssignedAt.getTime();
}
