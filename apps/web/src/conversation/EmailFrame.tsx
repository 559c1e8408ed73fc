import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiBlob } from '../api/client';
import type { Attachment } from '../api/types';
import { usePreferences } from '../prefs/preferences';
import { frameDocument, hasRemoteImages, measureHeight, normalizeCid, referencedContentIds } from './email-html';

const MAX_HEIGHT = 900;

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * An email body in `<iframe sandbox>`: no allow-scripts, no allow-same-origin (the frame is an
 * opaque origin that can run nothing and read nothing of the app). Remote images wait for a click.
 */
export function EmailFrame({ html, attachments, title }: { html: string; attachments: Attachment[]; title: string }) {
  const { t } = useTranslation('conversation');
  const { language } = usePreferences();
  const [showRemote, setShowRemote] = useState(false);
  const [inlineImages, setInlineImages] = useState<Map<string, string>>(() => new Map());
  const [height, setHeight] = useState(120);
  const wrapper = useRef<HTMLDivElement>(null);
  const remote = useMemo(() => hasRemoteImages(html), [html]);

  // cid: images: the attachment's bytes, fetched with the agent's token, inlined as data: URLs.
  useEffect(() => {
    const wanted = referencedContentIds(html);
    const inline = attachments.filter((a) => a.contentId && wanted.has(normalizeCid(a.contentId)) && a.stored !== false && a.contentType.startsWith('image/'));
    if (!inline.length) return;
    let cancelled = false;
    void Promise.all(
      inline.map(async (a) => {
        try {
          return [normalizeCid(a.contentId!), await blobToDataUrl(await apiBlob(a.url))] as const;
        } catch {
          return null; // the image stays a placeholder; the attachment is still listed below
        }
      }),
    ).then((entries) => {
      if (!cancelled) setInlineImages(new Map(entries.filter((e): e is readonly [string, string] => e !== null)));
    });
    return () => {
      cancelled = true;
    };
  }, [html, attachments]);

  const srcDoc = useMemo(
    () => frameDocument(html, { inlineImages, showRemoteImages: showRemote, direction: language === 'fa' ? 'rtl' : 'ltr' }),
    [html, inlineImages, showRemote, language],
  );

  useLayoutEffect(() => {
    const width = wrapper.current?.clientWidth ?? 600;
    setHeight(Math.min(MAX_HEIGHT, Math.max(60, measureHeight(html, width - 4) + 40)));
  }, [html]);

  return (
    <div className="email-frame" ref={wrapper}>
      {remote && !showRemote && (
        <div className="remote-images-bar" role="note">
          <span>{t('remoteImages.blocked')}</span>
          <button type="button" className="button button-small" onClick={() => setShowRemote(true)}>
            {t('remoteImages.show')}
          </button>
        </div>
      )}
      <iframe
        title={title}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={srcDoc}
        style={{ height }}
        className="email-iframe"
      />
    </div>
  );
}
