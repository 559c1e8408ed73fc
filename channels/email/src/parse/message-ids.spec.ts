import { firstMessageId, messageIdsIn } from './message-ids';

describe('messageIdsIn', () => {
  it('takes the ids out of their angle brackets, in order, each once', () => {
    expect(messageIdsIn('<a@x> <b@y>\r\n <a@x>')).toEqual(['a@x', 'b@y']);
  });

  it('ignores the comments some clients add', () => {
    expect(messageIdsIn('<a@x> (Sara Ahmadi\'s message of "Mon, 2 Mar 2026 10:15:42 +0330")')).toEqual(['a@x']);
  });

  it('reads ids written without brackets', () => {
    expect(messageIdsIn('a@x b@y')).toEqual(['a@x', 'b@y']);
    expect(firstMessageId(' 1234.abc ')).toBe('1234.abc');
  });

  it('has nothing for an empty or missing value', () => {
    expect(messageIdsIn(null)).toEqual([]);
    expect(firstMessageId('<>')).toBeNull();
    expect(firstMessageId('   ')).toBeNull();
  });
});
