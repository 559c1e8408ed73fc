import { Module } from '@nestjs/common';

// Placeholder: the Telegram adapter is being written.
@Module({})
export class TelegramModule {}
