const DOWNLOAD_TIMEOUT_MS = 20_000;

export type MediaDownload =
  | { ok: true; content: Buffer; contentType: string | null }
  /** `size`: what we know of the file's size (declared, or read so far). */
  | { ok: false; tooLarge: true; size: number }
  | { ok: false; tooLarge: false; error: string };

/**
 * Fetches a provider's media file, reading no further than `maxBytes`: a declared Content-Length over
 * the limit stops before the body, and the count while reading stops a missing or wrong one. Bigger
 * files become links in the adapters, never a memory spike.
 */
export async function downloadMedia(url: string | URL, maxBytes: number, headers: Record<string, string> = {}): Promise<MediaDownload> {
  let response: Response;
  try {
    // fetch drops Authorization on a redirect to another origin (providers' media CDNs).
    response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    return { ok: false, tooLarge: false, error: (error as Error).message };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, tooLarge: false, error: `HTTP ${response.status}` };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    return { ok: false, tooLarge: true, size: declared };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      // Leaving the loop cancels the stream: the rest is never downloaded.
      if (size > maxBytes) return { ok: false, tooLarge: true, size: Number.isFinite(declared) && declared > size ? declared : size };
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    return { ok: false, tooLarge: false, error: (error as Error).message };
  }
  return { ok: true, content: Buffer.concat(chunks), contentType: response.headers.get('content-type') };
}

/** "1.5 MB", "25 MB": sizes in the reasons agents read. */
export function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
