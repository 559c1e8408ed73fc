import { Candidate, chooseAgent } from './choose-agent';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute));
const agent = (agentId: string, open: number, lastAssignedAt: Date | null, teamIds: string[] = []): Candidate => ({ agentId, open, lastAssignedAt, teamIds });

describe('chooseAgent', () => {
  it('gives the ticket to the least loaded agent', () => {
    expect(chooseAgent([agent('a', 3, at(1)), agent('b', 1, at(5)), agent('c', 2, null)], { teamId: null, maxOpenPerAgent: null })?.agentId).toBe('b');
  });

  it('between equals, to the one assigned longest ago; never assigned comes first', () => {
    expect(chooseAgent([agent('a', 1, at(5)), agent('b', 1, at(2))], { teamId: null, maxOpenPerAgent: null })?.agentId).toBe('b');
    expect(chooseAgent([agent('a', 1, at(5)), agent('b', 1, null)], { teamId: null, maxOpenPerAgent: null })?.agentId).toBe('b');
    // Two never assigned: a stable order, whatever the list's order.
    expect(chooseAgent([agent('y', 0, null), agent('x', 0, null)], { teamId: null, maxOpenPerAgent: null })?.agentId).toBe('x');
    expect(chooseAgent([agent('x', 0, null), agent('y', 0, null)], { teamId: null, maxOpenPerAgent: null })?.agentId).toBe('x');
  });

  it("keeps a team's ticket within the team", () => {
    const list = [agent('a', 0, null, ['support']), agent('b', 5, null, ['sales'])];
    expect(chooseAgent(list, { teamId: 'sales', maxOpenPerAgent: null })?.agentId).toBe('b');
    expect(chooseAgent(list, { teamId: 'billing', maxOpenPerAgent: null })).toBeNull();
  });

  it('never goes over the cap', () => {
    const list = [agent('a', 2, null), agent('b', 3, null)];
    expect(chooseAgent(list, { teamId: null, maxOpenPerAgent: 3 })?.agentId).toBe('a');
    expect(chooseAgent(list, { teamId: null, maxOpenPerAgent: 2 })).toBeNull();
    expect(chooseAgent([], { teamId: null, maxOpenPerAgent: null })).toBeNull();
  });
});
