import { CustomerLanguage, normalizeText } from '@pasokh/common';

const QUESTIONS: Record<CustomerLanguage, string> = {
  fa: 'از پاسخ‌گویی ما چقدر راضی بودید؟ لطفاً عددی از ۱ (ناراضی) تا ۵ (بسیار راضی) بفرستید.',
  en: 'How would you rate our help? Please reply with a number from 1 (poor) to 5 (great).',
};

export function surveyQuestion(language: CustomerLanguage): string {
  return QUESTIONS[language];
}

/** The ratings as buttons, where the channel has them: what a tap sends back is what parseScore reads. */
export function surveyChoices(language: CustomerLanguage): string[] {
  return language === 'fa' ? ['۱', '۲', '۳', '۴', '۵'] : ['1', '2', '3', '4', '5'];
}

/**
 * A rating, if the message is one: a single digit 1–5 in any script ("5", "۵", "٥"), optionally
 * "of 5" / "از ۵" / "/5" and a full stop or exclamation mark. Anything else is a message.
 */
export function parseScore(text: string | null | undefined): number | null {
  const match = /^([1-5])(?:\s*(?:\/|of|از)\s*5)?\s*[.!]*$/.exec(normalizeText(text));
  return match ? Number(match[1]) : null;
}
