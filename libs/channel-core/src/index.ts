export * from './channel-adapter';
export * from './channel-adapter.registry';
export * from './channel-core.module';
export * from './channel.entity';
export * from './channels.exception';
export * from './channels.repository';
export * from './channels.service';
export * from './secret-box';
