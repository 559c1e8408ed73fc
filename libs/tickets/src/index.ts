export * from './dto/ticket.dto';
export * from './ticket.entity';
export * from './ticket.mapper';
export * from './tickets.exception';
export * from './tickets.module';
export * from './tickets.repository';
export * from './tickets.service';
