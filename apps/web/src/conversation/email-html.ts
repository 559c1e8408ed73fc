import DOMPurify from 'dompurify';

/**
 * Email HTML for the sandboxed frame. The server already sanitized it (docs/API.md: no script, no
 * handlers, remote images moved to data-remote-src); it is sanitized again here, then:
 * - `cid:` images point at the message's attachment with that contentId (a data: URL);
 * - remote images stay off unless the agent asked (then data-remote-src becomes src again);
 * - links open in a new tab, without the referrer.
 * The result goes into `<iframe sandbox srcdoc>` (no scripts, opaque origin) under its own CSP.
 */

export interface FrameDocumentOptions {
  /** contentId (without <>) → data: URL */
  inlineImages: Map<string, string>;
  showRemoteImages: boolean;
  direction: 'ltr' | 'rtl';
}

const BODY_FONT = `15px/1.55 system-ui, -apple-system, "Segoe UI", Tahoma, "Vazirmatn", sans-serif`;

const FRAME_STYLE = `
  :root { color-scheme: light; }
  html, body { margin: 0; padding: 0; background: #fff; color: #1d232a; }
  body { font: ${BODY_FONT}; padding: 4px 2px; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  img:not([src]) { display: inline-block; min-width: 16px; min-height: 16px; background: #eef1f4; outline: 1px dashed #b6c0ca; }
  table { max-width: 100%; }
  pre { white-space: pre-wrap; }
  blockquote { margin-inline: 0; padding-inline-start: 10px; border-inline-start: 3px solid #d6dde4; color: #4b5560; }
  details[data-quoted] > summary { cursor: pointer; color: #4b5560; font-size: 13px; }
  a { color: #1259b3; }
`;

function purify(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'audio', 'video', 'source', 'svg', 'math'],
    FORBID_ATTR: ['srcset', 'background', 'poster', 'ping', 'formaction', 'action'],
    ADD_ATTR: ['target', 'data-remote-src', 'data-quoted'],
    ALLOW_DATA_ATTR: true,
  });
}

/** The contentIds the HTML shows inline (their attachments need not be listed again). */
export function referencedContentIds(html: string): Set<string> {
  const ids = new Set<string>();
  for (const match of html.matchAll(/src\s*=\s*["']?cid:([^"'\s>]+)/gi)) ids.add(normalizeCid(match[1]));
  return ids;
}

export function normalizeCid(value: string): string {
  let cid = value.trim();
  try {
    cid = decodeURIComponent(cid);
  } catch {
    // keep as is
  }
  return cid.replace(/^cid:/i, '').replace(/^<|>$/g, '').toLowerCase();
}

export function hasRemoteImages(html: string): boolean {
  return /data-remote-src\s*=/i.test(html);
}

/** The frame's whole document (for `srcdoc`). */
export function frameDocument(html: string, options: FrameDocumentOptions): string {
  const fragment = purify(html);
  for (const img of Array.from(fragment.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (/^cid:/i.test(src)) {
      const data = options.inlineImages.get(normalizeCid(src));
      if (data) img.setAttribute('src', data);
      else img.removeAttribute('src');
    } else if (src && !/^data:image\//i.test(src)) {
      img.removeAttribute('src');
    }
    const remote = img.getAttribute('data-remote-src');
    if (remote && options.showRemoteImages && /^https:\/\//i.test(remote)) img.setAttribute('src', remote);
  }
  for (const a of Array.from(fragment.querySelectorAll('a'))) {
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  // Styles from the mail may not fetch anything (url(…) in inline styles or <style>).
  for (const el of Array.from(fragment.querySelectorAll<HTMLElement>('[style]'))) {
    const style = el.getAttribute('style') ?? '';
    if (/url\s*\(|@import|expression\s*\(/i.test(style)) el.setAttribute('style', style.replace(/url\s*\([^)]*\)|@import[^;]*;?|expression\s*\([^)]*\)/gi, 'none'));
  }
  for (const style of Array.from(fragment.querySelectorAll('style'))) {
    style.textContent = (style.textContent ?? '').replace(/@import[^;]*;?/gi, '').replace(/url\s*\([^)]*\)/gi, 'none');
  }
  const holder = document.createElement('div');
  holder.append(fragment);
  const imgSrc = options.showRemoteImages ? 'data: blob: https:' : 'data: blob:';
  const csp = `default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src data:`;
  return (
    `<!doctype html><html dir="${options.direction}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style></head>` +
    `<body dir="auto">${holder.innerHTML}</body></html>`
  );
}

/**
 * A height for the frame: the frame cannot report its own (no scripts), so the same markup is laid
 * out once, invisibly, in a shadow root of this page — with every image source and url() removed,
 * so measuring loads nothing.
 */
export function measureHeight(html: string, width: number): number {
  const fragment = purify(html);
  // An image becomes a box of its declared size (as the frame shows it before it loads).
  for (const img of Array.from(fragment.querySelectorAll('img'))) {
    const box = document.createElement('span');
    const width = Number(img.getAttribute('width')) || 16;
    const height = Number(img.getAttribute('height')) || 16;
    box.style.cssText = `display:inline-block;width:${width}px;max-width:100%;height:${height}px`;
    img.replaceWith(box);
  }
  for (const el of Array.from(fragment.querySelectorAll('[src]'))) el.removeAttribute('src');
  for (const el of Array.from(fragment.querySelectorAll('[style]'))) el.setAttribute('style', (el.getAttribute('style') ?? '').replace(/url\s*\([^)]*\)/gi, 'none'));
  for (const style of Array.from(fragment.querySelectorAll('style'))) style.textContent = (style.textContent ?? '').replace(/@import[^;]*;?|url\s*\([^)]*\)/gi, '');
  const host = document.createElement('div');
  host.style.cssText = `position:absolute;visibility:hidden;pointer-events:none;inset-inline-start:-10000px;top:0;width:${Math.max(200, width)}px;contain:layout style;`;
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = FRAME_STYLE.replace(':root', ':host');
  const body = document.createElement('div');
  body.style.cssText = `font: ${BODY_FONT}; padding: 4px 2px; overflow-wrap: anywhere; display: flow-root;`;
  body.append(fragment);
  root.append(style, body);
  document.body.append(host);
  const height = body.scrollHeight;
  host.remove();
  return height;
}
