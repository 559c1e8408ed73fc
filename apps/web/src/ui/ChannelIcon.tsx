import { useTranslation } from 'react-i18next';

/** A small glyph per channel, named for screen readers. No icon font, no images: nothing to load. */
const GLYPHS: Record<string, string> = {
  email: '✉',
  whatsapp: 'W',
  telegram: '✈',
  twilio_sms: 'S',
  messenger: 'M',
  instagram: 'I',
  webchat: '◔',
  api: '{}',
};

export function ChannelIcon({ type }: { type: string }) {
  const { t } = useTranslation();
  const label = t(`channels.${type}`, { defaultValue: type });
  return (
    <span className={`channel-icon channel-${type}`} role="img" aria-label={label} title={label}>
      {GLYPHS[type] ?? '•'}
    </span>
  );
}
