// Errors as values for the API: a code, an HTTP status, a Chinese message
// with the English alongside, optional details (the bad parameter, the
// import problems). Thrown by handlers, rendered once by the error handler;
// clients never see a stack trace.

import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** Chinese, then the English in parentheses. */
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badParam = (param: string, zh: string, en: string) =>
  new ApiError(400, 'BAD_PARAMETER', `参数「${param}」无效：${zh} (invalid parameter ${param}: ${en})`, { param });
export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `未找到${what} (not found)`);
export const forbidden = (zh: string, en: string) => new ApiError(403, 'FORBIDDEN', `无权访问：${zh} (forbidden: ${en})`);
export const unauthenticated = () => new ApiError(401, 'UNAUTHENTICATED', '请先登录 (login required)');

export interface ErrorBody {
  error: string;
  message: string;
  [k: string]: unknown;
}

export function errorBody(e: ApiError): ErrorBody {
  return { error: e.code, message: e.message, ...(e.details ?? {}) };
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json(errorBody(err));
      return;
    }
    // Body-parser and similar errors carry a status; keep it, hide the rest.
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 413) {
      res.status(413).json({ error: 'TOO_LARGE', message: '请求体过大 (request body too large)' });
      return;
    }
    if (status < 500) {
      res.status(status).json({ error: 'BAD_REQUEST', message: '请求格式错误 (malformed request)' });
      return;
    }
    log.error({ err, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: 'INTERNAL_ERROR', message: '服务器内部错误 (internal server error)' });
  };
}
