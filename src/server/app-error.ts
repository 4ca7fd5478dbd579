/**
 * A failure the client caused or must know about. Services throw it without knowing about HTTP;
 * `http/errors.ts` turns it into application/problem+json.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found`);
export const unauthorized = () => new AppError(401, 'unauthorized', 'Sign in to continue');
export const forbidden = () => new AppError(403, 'forbidden', 'You are not allowed to do this');
