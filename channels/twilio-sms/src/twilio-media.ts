import { InboundAttachment } from '@pasokh/channel-core';

const DOWNLOAD_TIMEOUT_MS = 20_000;

export interface MediaDownload {
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
export async function downloadMedia(media: MediaDownload): Promise<InboundAttachment> {
  const { url, filename, contentType, maxBytes } = media;
  const link = (reason: string): InboundAttachment => ({ filename, contentType, url, reason });
  const limit = `the ${formatMb(maxBytes)} attachment limit`;
  let response: Response;
  try {
    // fetch drops the Authorization header if Twilio redirects to another origin (its media CDN).
    response = await fetch(url, { headers: media.authorization ? { authorization: media.authorization } : {}, redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    return link(`the file could not be downloaded from Twilio: ${(error as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return link(`the file could not be downloaded from Twilio (HTTP ${response.status})`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return link(`the file (${formatMb(declared)}) is larger than ${limit}`);
  }
  // Count while reading: a missing or wrong Content-Length must not let a huge file into memory.
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      // Leaving the loop cancels the stream: the rest is never downloaded.
      if (size > maxBytes) return link(`the file is larger than ${limit}`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    return link(`the download from Twilio broke off: ${(error as Error).message}`);
  }
  return { filename, contentType, content: Buffer.concat(chunks) };
}

function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
