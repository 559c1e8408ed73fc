import { awayText } from './away-text';

describe('awayText', () => {
  // Saturday 08:00 in Tehran.
  const saturdayMorning = new Date('2026-11-28T04:30:00Z');

  it("says when the team is back, in the customer's language and the team's clock", () => {
    expect(awayText('fa', null, saturdayMorning, 'Asia/Tehran')).toBe('سلام! اکنون خارج از ساعت کاری هستیم. پیام شما رسید و از شنبه ۷ آذر ساعت ۰۸:۰۰ پاسخ می‌دهیم.');
    expect(awayText('en', null, saturdayMorning, 'Asia/Tehran')).toBe('Hello! We are out of office right now. We have your message and will answer from Saturday 28 November at 08:00.');
  });

  it("uses the channel's own text, with {{opensAt}} filled in", () => {
    expect(awayText('fa', 'جمعه تعطیلیم؛ {{opensAt}} برمی‌گردیم.', saturdayMorning, 'Asia/Tehran')).toBe('جمعه تعطیلیم؛ شنبه ۷ آذر ساعت ۰۸:۰۰ برمی‌گردیم.');
  });

  it('without a next opening, promises no time', () => {
    expect(awayText('en', null, null, 'UTC')).toBe('Hello! We are out of office right now. We have your message and will answer as soon as we can.');
  });
});
