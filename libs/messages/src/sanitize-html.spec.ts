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

describe('sanitizeMessageHtml: email extras', () => {
  it('keeps the collapsed quoted history of an email, summary text included, never open', () => {
    const out = sanitizeMessageHtml('<p>new</p><details data-quoted open ontoggle="alert(1)"><summary>…</summary><blockquote>old</blockquote></details>');
    expect(out).toBe('<p>new</p><details data-quoted><summary>…</summary><blockquote>old</blockquote></details>');
  });

  it('turns a <details> the sender wrote into a plain block', () => {
    expect(sanitizeMessageHtml('<details open dir="rtl"><summary>x</summary>y</details>')).toBe('<div dir="rtl"><summary>x</summary>y</div>');
  });

  it('drops a data-remote-src the sender wrote', () => {
    const out = sanitizeMessageHtml('<img src="cid:a@b" data-remote-src="javascript:alert(1)"><img data-remote-src="https://x.example/t.gif">')!;
    expect(out).toBe('<img src="cid:a@b" /><img />');
  });

  it('keeps inline data: images, drops other data: URLs', () => {
    expect(sanitizeMessageHtml('<img src="data:image/png;base64,AAAA"><img src="data:text/html;base64,PHNjcmlwdD4=">')).toBe('<img src="data:image/png;base64,AAAA" /><img />');
  });

  it('drops the text of titles and frames along with the tags', () => {
    expect(sanitizeMessageHtml('<title>Phish</title><iframe>fallback</iframe><p>ok</p>')).toBe('<p>ok</p>');
  });
});
