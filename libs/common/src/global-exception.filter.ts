import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { CommonErrorCode, DomainException } from './domain.exception';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  requestId?: string;
}

const CODE_BY_STATUS: Partial<Record<number, CommonErrorCode>> = {
  400: CommonErrorCode.VALIDATION_FAILED,
  401: CommonErrorCode.UNAUTHENTICATED,
  403: CommonErrorCode.FORBIDDEN,
  404: CommonErrorCode.NOT_FOUND,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
};

/** Turns anything thrown into the API.md error shape; never a stack trace to the client. */
export function toErrorBody(exception: unknown, requestId?: string): ErrorBody {
  if (exception instanceof DomainException) {
    return body(exception.httpStatus, exception.message, exception.code);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let message = exception.message;
    if (typeof response === 'object' && response && 'message' in response) {
      const m = (response as { message: unknown }).message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    }
    const code =
      typeof response === 'object' && response && 'code' in response
        ? String((response as { code: unknown }).code)
        : (CODE_BY_STATUS[status] ?? `HTTP_${status}`);
    return body(status, message, code);
  }
  // Errors raised by body-parser before Nest sees the request.
  const parserError = exception as { type?: string; status?: number };
  if (parserError?.type === 'entity.too.large') {
    return body(HttpStatus.PAYLOAD_TOO_LARGE, 'Request body is too large', CommonErrorCode.PAYLOAD_TOO_LARGE);
  }
  if (parserError?.type === 'entity.parse.failed') {
    return body(HttpStatus.BAD_REQUEST, 'Request body is not valid JSON', CommonErrorCode.INVALID_JSON);
  }
  if (parserError?.status && parserError.status >= 400 && parserError.status < 500) {
    return body(parserError.status, STATUS_CODES[parserError.status] ?? 'Bad request', `HTTP_${parserError.status}`);
  }
  return {
    ...body(HttpStatus.INTERNAL_SERVER_ERROR, `Internal error; quote request id ${requestId ?? 'unknown'} when reporting it`, CommonErrorCode.INTERNAL_ERROR),
    requestId,
  };
}

function body(statusCode: number, message: string, code: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code };
}

@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const errorBody = toErrorBody(exception, request?.id ? String(request.id) : undefined);
    if (errorBody.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: request?.id }, 'unhandled error');
    }
    if (!response.headersSent) response.status(errorBody.statusCode).json(errorBody);
  }
}
