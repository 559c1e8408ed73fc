import { sanitizeMessageHtml } from './sanitize-html';

describe('sanitizeMessageHtml', () => {
  it('removes scripts, event handlers and javascript: links', () => {
    const out = sanitizeMessageHtml('<p onclick="x()">hi<script>alert(1)</script></p><a href="javascript:alert(1)">x</a>')!;
    expect(out).not.toMatch(/script|onclick|javascript/i);
    expect(out).toContain('<p>hi</p>');
  });

  it('does not load remote images until asked', () => {
    const out = sanitizeMessageHtml('<img src="https://tracker.example/p.gif"><img src="cid:logo@x">')!;
    expect(out).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(out).not.toMatch(/ src="https:/);
    expect(out).toContain('src="cid:logo@x"');
  });

  it('keeps right-to-left markup', () => {
    expect(sanitizeMessageHtml('<div dir="rtl">سلام</div>')).toBe('<div dir="rtl">سلام</div>');
  });
});
