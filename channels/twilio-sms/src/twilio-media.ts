import { downloadMedia, formatMb, InboundFile, InboundLink } from '@pasokh/channel-core';

export interface MmsMedia {
  url: string;
  filename: string;
  contentType: string;
  /** "Basic …" for Twilio's own media URLs; never sent anywhere else. */
  authorization: string | null;
  maxBytes: number;
}

/**
 * Fetches one MMS media file. What we cannot or may not store (too large, Twilio refused, the network
 * failed) comes back as a link with the reason, so the message still lands and the agent knows why.
 */
export async function downloadMms(media: MmsMedia): Promise<InboundFile | InboundLink> {
  const { url, filename, contentType, maxBytes } = media;
  const result = await downloadMedia(url, maxBytes, media.authorization ? { authorization: media.authorization } : {});
  if (result.ok) return { filename, contentType, content: result.content };
  const reason = result.tooLarge
    ? `the file (${formatMb(result.size)}) is larger than the ${formatMb(maxBytes)} attachment limit`
    : `the file could not be downloaded from Twilio (${result.error})`;
  return { filename, contentType, url, reason };
}
