import sanitize from 'sanitize-html';

/**
 * Email and API HTML made safe to show: no scripts, styles, frames, forms, SVG or event handlers,
 * links open elsewhere, and remote images are not loaded until the agent asks (their URL moves to
 * data-remote-src, so opening a message never tells a tracker it was read). `cid:` and `data:image`
 * images stay (the web app swaps `cid:` for the stored attachment).
 *
 * The quoted history of an email arrives as `<details data-quoted><summary>…</summary>…</details>`
 * (channels/email parse): that element and its summary text are kept, collapsed (`open` is dropped).
 * A `<details>` without `data-quoted`, i.e. one the sender wrote, becomes a plain `<div>`.
 */
export function sanitizeMessageHtml(html: string | null | undefined): string | null {
  if (!html) return null;
  return sanitize(html, {
    allowedTags: sanitize.defaults.allowedTags.concat(['img', 'span', 'font', 'center', 'details', 'summary']),
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
      details: ['data-quoted'],
      '*': ['dir', 'lang', 'align', 'colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel', 'cid'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    // Dropped with their text: sanitize-html's own list (script, style, textarea, option, xmp), plus
    // a document's <title> and what a frame or a template would have shown.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'title', 'iframe', 'noembed', 'noframes', 'template'],
    transformTags: {
      a: sanitize.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
      img: (tagName, attribs) => {
        // data-remote-src is ours alone: one the sender wrote is dropped, whatever it holds.
        const { src = '', 'data-remote-src': _claimed, ...rest } = attribs;
        if (/^(cid:|data:image\/)/i.test(src.trim())) return { tagName, attribs: { ...rest, src } };
        return { tagName, attribs: /^https?:\/\//i.test(src.trim()) ? { ...rest, 'data-remote-src': src.trim() } : rest };
      },
      details: (tagName, attribs) => {
        const { 'data-quoted': quoted, ...rest } = attribs;
        return quoted === undefined ? { tagName: 'div', attribs: rest } : { tagName, attribs: { 'data-quoted': '' } };
      },
    },
  });
}
