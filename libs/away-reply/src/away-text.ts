import { CustomerLanguage } from '@pasokh/common';

/**
 * The away reply: the channel's own text ({{opensAt}} → when the team is back), or ours in the
 * customer's language. The time is the team's clock, written as the customer reads it (Persian:
 * Jalali date, Persian digits).
 */
export function awayText(language: CustomerLanguage, custom: string | null, opensAt: Date | null, timezone: string): string {
  const when = opensAt
    ? new Intl.DateTimeFormat(language === 'fa' ? 'fa-IR' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: timezone }).format(opensAt)
    : null;
  if (custom) return custom.replace(/\{\{\s*opensAt\s*\}\}/g, when ?? '');
  if (language === 'fa') {
    return when ? `سلام! اکنون خارج از ساعت کاری هستیم. پیام شما رسید و از ${when} پاسخ می‌دهیم.` : 'سلام! اکنون خارج از ساعت کاری هستیم. پیام شما رسید و به‌زودی پاسخ می‌دهیم.';
  }
  return when ? `Hello! We are out of office right now. We have your message and will answer from ${when}.` : 'Hello! We are out of office right now. We have your message and will answer as soon as we can.';
}
