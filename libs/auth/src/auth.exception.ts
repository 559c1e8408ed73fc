import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_TOKEN = 'INVALID_TOKEN',
  MISSING_TOKEN = 'MISSING_TOKEN',
  ROLE_REQUIRED = 'ROLE_REQUIRED',
  TOKEN_NOT_FOUND = 'TOKEN_NOT_FOUND',
}

const STATUS: Record<AuthErrorCode, HttpStatus> = {
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  INVALID_TOKEN: HttpStatus.UNAUTHORIZED,
  MISSING_TOKEN: HttpStatus.UNAUTHORIZED,
  ROLE_REQUIRED: HttpStatus.FORBIDDEN,
  TOKEN_NOT_FOUND: HttpStatus.NOT_FOUND,
};

export class AuthException extends DomainException<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
