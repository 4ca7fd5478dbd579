/** A failed API call, carrying the problem+json fields the server sends. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Record<string, unknown>;

  constructor(status: number, code: string, message: string, problem: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.problem = problem;
  }

  /** Field problems of a 422 `validation_failed`, keyed by field name. */
  fieldErrors(): Record<string, string> {
    const list = Array.isArray(this.problem.errors) ? this.problem.errors : [];
    const out: Record<string, string> = {};
    for (const e of list as { field?: string; message?: string }[]) {
      if (e.field && !out[e.field]) out[e.field] = e.message ?? 'Invalid value';
    }
    return out;
  }
}

export const isApiError = (e: unknown, code?: string): e is ApiError =>
  e instanceof ApiError && (code === undefined || e.code === code);

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

/** JSON over fetch with the session cookie; every failure becomes an ApiError with a readable message. */
export async function api<T>(
  path: string,
  { method = 'GET', body, signal, headers }: RequestOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'Cannot reach the store. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
    throw new ApiError(response.status, code, readableMessage(response.status, problem), problem);
  }
  return data as T;
}

function readableMessage(status: number, problem: Record<string, unknown>): string {
  if (typeof problem.detail === 'string' && problem.detail) return problem.detail;
  if (status === 401) return 'Please log in to continue.';
  if (status === 404) return 'That could not be found.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'The store had a problem. Please try again shortly.';
  return 'That did not work. Please try again.';
}

export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
