import { Module } from '@nestjs/common';
import { MessagesModule } from '@pasokh/messages';
import { DeliveryWorker } from './delivery.worker';

@Module({ imports: [MessagesModule], providers: [DeliveryWorker] })
export class DeliveryModule {}
