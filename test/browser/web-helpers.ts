import type { Page } from 'playwright-core';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TestServer } from '../support/test-server';

/** An API-channel callback receiver that can hold its answers, so a reply stays `queued` until released. */
export class HoldingReceiver {
  readonly calls: Array<{ body: any; headers: IncomingMessage['headers'] }> = [];
  private server!: Server;
  private held: Array<() => void> = [];
  hold = false;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.calls.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'), headers: req.headers });
        const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `crm-${this.calls.length}` }));
        if (this.hold) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  release(): void {
    this.hold = false;
    this.held.splice(0).forEach((answer) => answer());
  }

  stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface AgentCredentials {
  id: string;
  name: string;
  email: string;
  password: string;
}

export async function createAgent(t: TestServer, name: string, role: 'agent' | 'supervisor' | 'admin' = 'agent'): Promise<AgentCredentials> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Math.random().toString(36).slice(2, 7)}@example.com`;
  const password = 'agent-password-1';
  const res = await t.http.post('/api/agents', { name, email, password, role });
  if (res.status !== 201) throw new Error(`agent create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, name, email, password };
}

/** Logs in through the form, as an agent would, and waits for the inbox. */
export async function logIn(page: Page, agent: Pick<AgentCredentials, 'email' | 'password'>, path = '/?lang=en'): Promise<void> {
  await page.goto(path);
  await page.locator('input[type=email]').fill(agent.email);
  await page.locator('input[type=password]').fill(agent.password);
  await page.locator('input[type=password]').press('Enter');
  await page.locator('.list-pane').waitFor({ timeout: 15_000 });
}

/** True while the page has not been reloaded since `markDocument` (live updates, not a refresh). */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __pasokhMark: boolean }).__pasokhMark = true));
}

export async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __pasokhMark?: boolean }).__pasokhMark === true);
}

/** Code passed to page.evaluate runs in the browser: these are its globals (declared here, for the compiler only). */
declare const window: any;
