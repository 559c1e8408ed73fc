import { fillSavedReply, matchSavedReplies, SavedReply, shortcutAtCaret } from './saved-replies';

const reply = (shortcut: string, title: string, text: string): SavedReply => ({ id: shortcut, shortcut, title, text, updatedAt: '' });

describe('saved replies in the composer', () => {
  it('finds the shortcut being typed before the caret, at the start or after a space only', () => {
    expect(shortcutAtCaret('/ship', 5)).toEqual({ start: 0, typed: 'ship' });
    expect(shortcutAtCaret('Hello /ارس', 10)).toEqual({ start: 6, typed: 'ارس' });
    expect(shortcutAtCaret('Hello /', 7)).toEqual({ start: 6, typed: '' });
    expect(shortcutAtCaret('see https://x.example/ship', 26)).toBeNull();
    expect(shortcutAtCaret('/ship now', 9)).toBeNull();
  });

  it('puts shortcuts that start with the typed text first, folds Arabic forms and digits', () => {
    const list = [reply('refund', 'Refunds', 'Money back in 5 days'), reply('shipping', 'Shipping', 'Two days; refund if late'), reply('ارسال', 'زمان ارسال', 'دو روز')];
    expect(matchSavedReplies(list, 'ref').map((r) => r.shortcut)).toEqual(['refund', 'shipping']);
    expect(matchSavedReplies(list, 'ارس').map((r) => r.shortcut)).toEqual(['ارسال']);
    expect(matchSavedReplies(list, 'زمان').map((r) => r.shortcut)).toEqual(['ارسال']);
    expect(matchSavedReplies(list, '').length).toBe(3);
  });

  it('fills the placeholders', () => {
    expect(fillSavedReply('Hi {{customer.name}}, this is {{ agent.name }} about #{{ticket.number}}.', { customerName: 'Sara', agentName: 'Nasrin', ticketNumber: 42 })).toBe(
      'Hi Sara, this is Nasrin about #42.',
    );
    expect(fillSavedReply('Hi {{customer.name}}!', { customerName: null, agentName: 'N', ticketNumber: 1 })).toBe('Hi !');
  });
});
