export * from './meta.module';
export * from './meta-signature';
export * from './messenger.adapter';
export * from './instagram.adapter';
export * from './whatsapp.adapter';
