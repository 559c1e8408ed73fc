import { customerLanguage } from './customer-language';

describe('customerLanguage', () => {
  it("follows the customer's locale, else the script they wrote in", () => {
    expect(customerLanguage('fa-IR', 'hello')).toBe('fa');
    expect(customerLanguage('en', 'سلام')).toBe('en');
    expect(customerLanguage(null, 'سلام، سفارشم کجاست؟')).toBe('fa');
    expect(customerLanguage(null, 'Where is my order?')).toBe('en');
    expect(customerLanguage(null, null)).toBe('en');
  });
});
