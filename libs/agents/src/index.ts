export * from './agent.entity';
export * from './agents.exception';
export * from './agents.module';
export * from './agents.repository';
export * from './agents.service';
export * from './team.entity';
export * from './presence.repository';
