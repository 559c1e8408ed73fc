import { Injectable } from '@nestjs/common';
import type { AgentsNamespace } from './agent-socket';

/** The /agents namespace, set by the gateway once socket.io is up; the publishers use it. */
@Injectable()
export class NamespaceHolder {
  private namespace: AgentsNamespace | null = null;

  set(namespace: AgentsNamespace): void {
    this.namespace = namespace;
  }

  get(): AgentsNamespace | null {
    return this.namespace;
  }
}
