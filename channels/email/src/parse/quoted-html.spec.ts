import { collapseQuotedHtml, textOfHtml } from './quoted-html';

const collapse = (html: string) => collapseQuotedHtml(html);

describe('collapseQuotedHtml', () => {
  it('Thunderbird: the moz-cite-prefix and the cite blockquote', () => {
    const out = collapse('<html><body><p>Thanks!</p><div class="moz-cite-prefix">On 01/03/2026 16:02, Support wrote:<br></div><blockquote type="cite" cite="mid:x@y">Hello</blockquote></body></html>');
    expect(out).toEqual({
      html: '<p>Thanks!</p><details data-quoted><summary>…</summary><div class="moz-cite-prefix">On 01/03/2026 16:02, Support wrote:<br></div><blockquote type="cite" cite="mid:x@y">Hello</blockquote></details>',
      collapsed: true,
    });
  });

  it('Outlook desktop without a wrapper: the border-top div whose text starts with "From:"', () => {
    const out = collapse(
      '<div class="WordSection1"><p class="MsoNormal">OK<o:p></o:p></p><div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> A<br><b>Sent:</b> Monday<br><b>Subject:</b> x</p></div><p class="MsoNormal">old</p></div>',
    );
    expect(out.html).toBe(
      '<div class="WordSection1"><p class="MsoNormal">OK<o:p></o:p></p></div><details data-quoted><summary>…</summary><div class="WordSection1"><div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> A<br><b>Sent:</b> Monday<br><b>Subject:</b> x</p></div><p class="MsoNormal">old</p></div></details>',
    );
  });

  it('a border-top div that is not a header block is left alone', () => {
    expect(collapse('<p>Total</p><div style="border-top:solid 1px #000">Sum: 12</div>').collapsed).toBe(false);
  });

  it('"-----Original Message-----" in HTML text, cut at the element it starts', () => {
    const out = collapse('<div>Fine by me.</div><div><br></div><div>-----Original Message-----<br>From: A<br>Sent: Monday<br>Subject: x<br><br>old</div>');
    expect(out.html).toBe('<div>Fine by me.</div><div><br></div><details data-quoted><summary>…</summary><div>-----Original Message-----<br>From: A<br>Sent: Monday<br>Subject: x<br><br>old</div></details>');
  });

  it('a bare text "On … wrote:" line with a blockquote after it (no element marker at all)', () => {
    const out = collapse('Sure.<br><br>On Mon, Mar 2, 2026 at 9:00 AM A &lt;a@x.example&gt; wrote:<br><blockquote style="margin:0">old</blockquote>');
    expect(out.html).toBe('Sure.<br><br><details data-quoted><summary>…</summary>On Mon, Mar 2, 2026 at 9:00 AM A &lt;a@x.example&gt; wrote:<br><blockquote style="margin:0">old</blockquote></details>');
  });

  it('takes the earliest marker', () => {
    const out = collapse('<p>new</p><div id="divRplyFwdMsg">From: A</div><div class="gmail_quote">older</div>');
    expect(out.html).toBe('<p>new</p><details data-quoted><summary>…</summary><div id="divRplyFwdMsg">From: A</div><div class="gmail_quote">older</div></details>');
  });

  it('does not collapse a mail that is all quote, or an empty history', () => {
    expect(collapse('<blockquote type="cite">all of it</blockquote>')).toEqual({ html: '<blockquote type="cite">all of it</blockquote>', collapsed: false });
    expect(collapse('<p>new</p><div id="appendonsend"></div>').collapsed).toBe(false);
  });

  it('keeps interleaved answers visible', () => {
    const html = '<p>See inline.</p><blockquote type="cite">Your order number?</blockquote><p>1042</p><blockquote type="cite">Your city?</blockquote><p>Tehran</p>';
    expect(collapse(html)).toEqual({ html, collapsed: false });
  });

  it('a signature under the quote is not an answer', () => {
    const out = collapse('<div>ok</div><div class="gmail_quote">old</div><div class="gmail_signature">Sara</div>');
    expect(out.collapsed).toBe(true);
  });

  it('keeps images above the history as content (a reply that is only a picture)', () => {
    const out = collapse('<img src="cid:a@b"><div class="gmail_quote">old</div>');
    expect(out.html).toBe('<img src="cid:a@b"><details data-quoted><summary>…</summary><div class="gmail_quote">old</div></details>');
  });

  it('returns the body only: no doctype, head, title or style', () => {
    expect(collapse('<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body dir="rtl"><p>سلام</p></body></html>').html).toBe('<p>سلام</p>');
  });

  it('handles the several bodies mailparser joins when a mail has several HTML parts', () => {
    const out = collapse('<html><body><p>one</p></body></html><br/>\n<html><body><p>two</p><div class="gmail_quote">old</div></body></html>');
    expect(out.html).toBe('<p>one</p><br>\n<p>two</p><details data-quoted><summary>…</summary><div class="gmail_quote">old</div></details>');
  });

  it('keeps cid: references and entities', () => {
    expect(collapse('<p>a &amp; b &lt;c&gt; <img src="cid:logo@x"></p>').html).toBe('<p>a &amp; b &lt;c&gt; <img src="cid:logo@x"></p>');
  });

  it('passes absurdly deep HTML through untouched instead of recursing into it', () => {
    const html = '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(5000);
    expect(collapse(html)).toEqual({ html, collapsed: false });
  });

  it('can be asked not to collapse (forwards, bounces)', () => {
    expect(collapseQuotedHtml('<p>a</p><div class="gmail_quote">b</div>', { collapse: false }).html).toBe('<p>a</p><div class="gmail_quote">b</div>');
  });
});

describe('textOfHtml', () => {
  it('lays the text out in lines, without head, style or script', () => {
    expect(textOfHtml('<html><head><title>x</title></head><body><p>one</p><div>two<br>three</div><script>x()</script></body></html>')).toBe('one\ntwo\nthree');
  });
});

describe('collapseQuotedHtml on hostile input', () => {
  it('handles thousands of markers between interleaved quotes', () => {
    const html = '<p>start</p>' + '<blockquote type="cite">q</blockquote><p>a</p><div>From: x<br>Sent: y<br>Subject: z</div>'.repeat(5000);
    const out = collapse(html);
    // The first Outlook header block starts the history; the interleaved quote before it stays.
    expect(out.html.startsWith('<p>start</p><blockquote type="cite">q</blockquote><p>a</p><details data-quoted><summary>…</summary><div>From: x')).toBe(true);
    expect(out.html.match(/<details/g)).toHaveLength(1);
  });
});
