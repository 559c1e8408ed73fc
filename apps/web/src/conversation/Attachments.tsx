import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiBlob, saveBlob } from '../api/client';
import type { Attachment } from '../api/types';
import { useFormat } from '../format';
import { reportError } from '../ui/toasts';

function useBlobUrl(url: string | null): string | null {
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let revoked = false;
    let made: string | null = null;
    apiBlob(url)
      .then((blob) => {
        if (revoked) return;
        made = URL.createObjectURL(blob);
        setObjectUrl(made);
      })
      .catch(() => setObjectUrl(null));
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  return objectUrl;
}

export function formatSize(bytes: number, number: (n: number) => string, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (bytes < 1024) return t('size.bytes', { n: number(bytes) });
  if (bytes < 1024 * 1024) return t('size.kb', { n: number(Math.round(bytes / 1024)) });
  return t('size.mb', { n: number(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

/** Attachments with previews: images inline (fetched with the token, shown from blob: URLs), others as downloads. */
export function Attachments({ attachments }: { attachments: Attachment[] }) {
  if (!attachments.length) return null;
  return (
    <ul className="attachments">
      {attachments.map((a) => (
        <li key={a.id}>
          <AttachmentItem attachment={a} />
        </li>
      ))}
    </ul>
  );
}

function AttachmentItem({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation('conversation');
  const format = useFormat();
  const stored = attachment.stored !== false && attachment.url.startsWith('/api/');
  const image = stored && attachment.contentType.startsWith('image/');
  const preview = useBlobUrl(image ? attachment.url : null);
  const size = formatSize(attachment.size, format.number, t);

  const download = async () => {
    try {
      saveBlob(await apiBlob(attachment.url), attachment.filename);
    } catch (error) {
      reportError(error, t('attachments.downloadFailed', { name: attachment.filename }));
    }
  };

  if (!stored) {
    return (
      <div className="attachment attachment-missing">
        <span className="attachment-name" dir="auto">
          {attachment.filename}
        </span>
        <span className="muted"> {attachment.note ?? t('attachments.notStored')}</span>
        {/^https?:\/\//.test(attachment.url) && (
          <>
            {' '}
            <a href={attachment.url} target="_blank" rel="noopener noreferrer nofollow">
              {t('attachments.openAtProvider')}
            </a>
          </>
        )}
      </div>
    );
  }
  return (
    <figure className={`attachment${image ? ' attachment-image' : ''}`}>
      {image && (preview ? <img src={preview} alt={attachment.filename} /> : <span className="attachment-placeholder" aria-hidden="true" />)}
      <figcaption>
        <span className="attachment-name" dir="auto">
          {attachment.filename}
        </span>{' '}
        <span className="muted">{size}</span>{' '}
        <button type="button" className="button button-small" onClick={download} aria-label={t('attachments.download', { name: attachment.filename })}>
          {t('attachments.downloadShort')}
        </button>
      </figcaption>
    </figure>
  );
}
