/**
 * The one way the web app speaks REST to the server (docs/API.md): bearer token, JSON in and out,
 * and every failure turned into an ApiError carrying the server's `code` and `message`.
 */

const TOKEN_KEY = 'pasokh.token';

/** A failed API call. `status` 0 = the server could not be reached (code `NETWORK_ERROR`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId?: string;

  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export interface ApiInit {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
}

let unauthorizedHandler: (() => void) | null = null;

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the session then lasts as long as the page
  }
}

/** Called when the server says the token is no longer valid (expired, revoked, agent deactivated). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

async function send(path: string, init: ApiInit = {}, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (init.body instanceof FormData || init.body instanceof Blob) {
    body = init.body;
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, signal: init.signal });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.');
  }
  if (!response.ok) throw await toError(response);
  return response;
}

async function toError(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  let requestId: string | undefined;
  try {
    const body = await response.json();
    if (body && typeof body === 'object') {
      if (typeof body.code === 'string') code = body.code;
      if (typeof body.message === 'string') message = body.message;
      else if (Array.isArray(body.message)) message = body.message.join('; ');
      if (typeof body.requestId === 'string') requestId = body.requestId;
    }
  } catch {
    // not JSON (a proxy's error page): keep the status text
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    if (code.startsWith('HTTP_')) code = 'NETWORK_ERROR';
  }
  if (response.status === 401 && (code === 'INVALID_TOKEN' || code === 'MISSING_TOKEN')) unauthorizedHandler?.();
  return new ApiError(response.status, code, message, requestId);
}

/** JSON request; resolves to the parsed body (undefined for 204). */
export async function api<T>(path: string, init?: ApiInit): Promise<T> {
  const response = await send(path, init);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads (attachments, CSV exports) with the bearer token; make a blob: URL of it to show or save. */
export async function apiBlob(path: string, init?: ApiInit): Promise<Blob> {
  const response = await send(path, init, '*/*');
  return response.blob();
}

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Builds `?a=1&b=2` from defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
