import { downloadMedia, formatMb } from '@pasokh/channel-core';

const API_TIMEOUT_MS = 15_000;

/** Graph's error object: `{ error: { message, type, code, error_subcode, error_user_msg, error_data } }`. */
export class GraphApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when Graph could not be reached. */
    readonly status: number,
    readonly code: number | null = null,
    readonly subcode: number | null = null,
    /** Graph's own longer explanation (error_user_msg, or error_data.details on WhatsApp). */
    readonly details: string | null = null,
    readonly transient: boolean | null = null,
  ) {
    super(message);
  }
}

export type Download = { ok: true; content: Buffer; contentType: string | null } | { ok: false; reason: string };

/**
 * The few Graph API calls the Meta channels make, over plain fetch. One instance per call site:
 * it holds the base URL (with the API version) and the token, and never leaves the adapters.
 */
export class GraphClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const url = `${this.baseUrl}/${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;
    return this.call<T>(url, { method: 'GET', headers: this.auth() });
  }

  post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    return this.call<T>(`${this.baseUrl}/${path}`, { method: 'POST', headers: { ...this.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  postForm<T>(path: string, form: FormData): Promise<T> {
    return this.call<T>(`${this.baseUrl}/${path}`, { method: 'POST', headers: this.auth(), body: form });
  }

  /** A media file up to `maxBytes` (see downloadMedia); `withToken` for WhatsApp's media URLs. */
  async download(url: string, maxBytes: number, withToken: boolean): Promise<Download> {
    const result = await downloadMedia(url, maxBytes, withToken ? this.auth() : {});
    if (result.ok) return result;
    return {
      ok: false,
      reason: result.tooLarge
        ? `the file (${formatMb(result.size)}) is larger than the ${formatMb(maxBytes)} attachment limit`
        : `the file could not be downloaded: ${result.error}`,
    };
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  private async call<T>(url: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
    } catch (error) {
      throw new GraphApiError(`the Graph API could not be reached: ${(error as Error).message}`, 0);
    }
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // an HTML error page from a proxy: described by its status below
    }
    if (response.ok && json !== null) return json as T;
    const error = (json as { error?: Record<string, unknown> } | null)?.error;
    if (!error) throw new GraphApiError(`the Graph API answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, response.status);
    const data = error.error_data as { details?: unknown } | undefined;
    const details = typeof error.error_user_msg === 'string' ? error.error_user_msg : typeof data?.details === 'string' ? data.details : null;
    throw new GraphApiError(
      typeof error.message === 'string' ? error.message : `Graph API error (HTTP ${response.status})`,
      response.status,
      typeof error.code === 'number' ? error.code : null,
      typeof error.error_subcode === 'number' ? error.error_subcode : null,
      details,
      typeof error.is_transient === 'boolean' ? error.is_transient : null,
    );
  }
}

