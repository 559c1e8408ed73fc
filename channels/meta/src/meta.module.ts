import { Module } from '@nestjs/common';

// Placeholder: the Messenger / Instagram / WhatsApp adapter is being written.
@Module({})
export class MetaModule {}
