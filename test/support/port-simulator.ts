import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import {
  startSimulator,
  type RunningSimulator,
  type SimOptionsInput,
} from '../../apps/m365-sim/src';

export interface PortSimulator {
  sim: RunningSimulator;
  dispatcher: Agent;
  dir: string;
  /** The simulated tenant's id. */
  tid: string;
  /** A licensed user's cloud mailbox (reached by Graph and by the simulator's EWS alike). */
  user: { id: string; address: string };
  /** The simulator's own API (consent, users, faults) over its HTTPS. */
  simFetch(path: string, method?: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A simulator for one mailbox-port contract run: one consented tenant and one user mailbox of
 * it, as every adapter's contract spec needs.
 */
export async function startPortSimulator(
  prefix: string,
  options: SimOptionsInput = {},
): Promise<PortSimulator> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sim = await startSimulator({
    port: 0,
    tenants: 1,
    usersPerTenant: 12,
    seed: 5,
    quiet: true,
    dataDir: join(dir, 'sim'),
    ...options,
  });
  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
  const tid = sim.info.tenants[0].id;
  const simFetch = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher,
    } as RequestInit);
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status}`);
    return res.json() as Promise<unknown>;
  };
  await simFetch(`/_sim/tenants/${tid}/consent`, 'POST', {});
  const answer = (await simFetch(`/_sim/tenants/${tid}/users`)) as
    SimListedUser[] | { users: SimListedUser[] };
  const users = Array.isArray(answer) ? answer : answer.users;
  const user = users.find((u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user');
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');
  return {
    sim,
    dispatcher,
    dir,
    tid,
    user: { id: user.id, address: (user.mail ?? user.userPrincipalName)! },
    simFetch,
    close: async () => {
      await sim.close();
      await dispatcher.close();
    },
  };
}

interface SimListedUser {
  id: string;
  mailbox: string;
  purpose?: string;
  mail?: string;
  userPrincipalName?: string;
}
