import { sequenceSet } from './mailbox-sync';

describe('sequenceSet', () => {
  it('folds runs of UIDs into ranges', () => {
    expect(sequenceSet([1, 2, 3, 7, 9, 10])).toBe('1:3,7,9:10');
    expect(sequenceSet([42])).toBe('42');
  });

  it('keeps a large backlog short enough for a server’s command line limit', () => {
    const uids = Array.from({ length: 1_000 }, (_, i) => 100_000 + i * 2);
    expect(sequenceSet(uids).length).toBeLessThan(8_000);
    expect(sequenceSet(Array.from({ length: 20_000 }, (_, i) => i + 1))).toBe('1:20000');
  });
});
