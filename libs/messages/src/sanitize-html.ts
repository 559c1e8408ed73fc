import sanitize from 'sanitize-html';

/**
 * Email and API HTML made safe to show: no scripts, styles, frames or event handlers, links open
 * elsewhere, and remote images are not loaded until the agent asks (their URL moves to
 * data-remote-src, so opening a message never tells a tracker it was read).
 */
export function sanitizeMessageHtml(html: string | null | undefined): string | null {
  if (!html) return null;
  return sanitize(html, {
    allowedTags: sanitize.defaults.allowedTags.concat(['img', 'span', 'font', 'center']),
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
      '*': ['dir', 'lang', 'align', 'colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel', 'cid'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    transformTags: {
      a: sanitize.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        if (/^(cid:|data:image\/)/i.test(src)) return { tagName, attribs };
        const { src: _remote, ...rest } = attribs;
        return { tagName, attribs: /^https?:\/\//i.test(src) ? { ...rest, 'data-remote-src': src } : rest };
      },
    },
  });
}
