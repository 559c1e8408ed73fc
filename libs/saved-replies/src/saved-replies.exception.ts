import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum SavedRepliesErrorCode {
  SAVED_REPLY_NOT_FOUND = 'SAVED_REPLY_NOT_FOUND',
  SAVED_REPLY_SHORTCUT_TAKEN = 'SAVED_REPLY_SHORTCUT_TAKEN',
}

const STATUS: Record<SavedRepliesErrorCode, HttpStatus> = {
  SAVED_REPLY_NOT_FOUND: HttpStatus.NOT_FOUND,
  SAVED_REPLY_SHORTCUT_TAKEN: HttpStatus.CONFLICT,
};

export class SavedRepliesException extends DomainException<SavedRepliesErrorCode> {
  constructor(code: SavedRepliesErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
