import { normalizeEmail, normalizePhone, normalizeText, toAsciiDigits } from './normalize';

describe('normalizeText', () => {
  it.each([
    ['علي', 'علی'],
    ['كتاب', 'کتاب'],
    ['مصطفى', 'مصطفی'],
    ['می‌خواهم', 'میخواهم'],
    ['خانۀ ما', 'خانه ما'],
    ['سفارش ۱۲۳٤', 'سفارش 1234'],
    ['  Order   NUMBER ', 'order number'],
    ['سـلام', 'سلام'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('makes Arabic and Persian spellings of one word equal', () => {
    expect(normalizeText('كيك')).toBe(normalizeText('کیک'));
  });
});

describe('toAsciiDigits', () => {
  it('converts Persian and Arabic-Indic digits', () => {
    expect(toAsciiDigits('۰۹۱۲ ٣٤٥')).toBe('0912 345');
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+98 912 345 6789', null, '+989123456789'],
    ['۰۹۱۲۳۴۵۶۷۸۹', 'IR', '+989123456789'],
    ['٠٩١٢٣٤٥٦٧٨٩', 'IR', '+989123456789'],
    ['00989123456789', null, '+989123456789'],
    ['+1 (415) 555-2671', null, '+14155552671'],
    ['09123456789', null, null],
    ['12', 'IR', null],
    ['', 'IR', null],
  ])('%s (region %s) → %s', (input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });
});

describe('normalizeEmail', () => {
  it('lower-cases and trims, and rejects non-addresses', () => {
    expect(normalizeEmail('  Sara@Example.COM ')).toBe('sara@example.com');
    expect(normalizeEmail('not an email')).toBeNull();
  });
});
