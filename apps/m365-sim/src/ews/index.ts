import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimState } from '../sim';
import { sendText } from '../core/http';

export class Ews {
  constructor(private sim: SimState) {}
  async handle(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    void this.sim;
    sendText(res, 501, 'EWS not implemented yet', 'text/plain');
  }
}
