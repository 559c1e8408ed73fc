import { matchPolicy } from './policy-match';

describe('matchPolicy', () => {
  const policies = [
    { name: 'VIP urgent', match: { priority: ['urgent'], tier: ['vip'] }, active: true },
    { name: 'retired', match: { channelType: ['telegram'] }, active: false },
    { name: 'Telegram', match: { channelType: ['telegram'] }, active: true },
    { name: 'everything else', match: {}, active: true },
  ];

  it.each([
    [{ priority: 'urgent', channelType: 'email', tier: 'vip' }, 'VIP urgent'],
    [{ priority: 'urgent', channelType: 'telegram', tier: 'standard' }, 'Telegram'],
    [{ priority: 'low', channelType: 'email', tier: 'vip' }, 'everything else'],
  ])('%o → %s (first match wins, inactive ones skipped)', (ticket, expected) => {
    expect(matchPolicy(policies, ticket)?.name).toBe(expected);
  });

  it('is null when nothing matches', () => {
    expect(matchPolicy(policies.slice(0, 3), { priority: 'low', channelType: 'sms', tier: 'standard' })).toBeNull();
  });
});
