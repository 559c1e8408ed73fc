import { Module } from '@nestjs/common';

// Placeholder: the Twilio SMS adapter is being written.
@Module({})
export class TwilioSmsModule {}
