import { autoReplyReason } from './auto-reply';
import { RawHeaders } from './raw-headers';

const reason = (...lines: string[]) => autoReplyReason(RawHeaders.parse(lines.join('\n')));

describe('autoReplyReason', () => {
  it('Auto-Submitted with any value but "no"', () => {
    expect(reason('Auto-Submitted: auto-replied')).toBe('Auto-Submitted: auto-replied');
    expect(reason('Auto-Submitted: Auto-Generated; owner-email="x@y"')).toBe('Auto-Submitted: auto-generated');
    expect(reason('Auto-Submitted: no')).toBeNull();
    expect(reason('Auto-Submitted: No')).toBeNull();
  });

  it('X-Autoreply and X-Autorespond, whatever they say', () => {
    expect(reason('X-Autoreply: yes')).toBe('X-Autoreply: yes');
    expect(reason('X-Autorespond: Vacation')).toBe('X-Autorespond: Vacation');
  });

  it('Precedence bulk, junk and list, not first-class', () => {
    expect(reason('Precedence: bulk')).toBe('Precedence: bulk');
    expect(reason('Precedence: Junk')).toBe('Precedence: junk');
    expect(reason('Precedence: list')).toBe('Precedence: list');
    expect(reason('Precedence: first-class')).toBeNull();
  });

  it('a person\u2019s mail has none', () => {
    expect(reason('From: a@example.com', 'Subject: hi', 'X-Auto-Response-Suppress: All')).toBeNull();
  });
});
