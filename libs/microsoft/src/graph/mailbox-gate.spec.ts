import { MailboxGate } from './mailbox-gate';

describe('MailboxGate', () => {
  it('holds requests until the longest Retry-After has passed', async () => {
    let now = 1_000;
    const gate = new MailboxGate(() => now);
    gate.block(2_000);
    gate.block(500);
    expect(gate.waitMs()).toBe(2_000);
    now += 1_500;
    expect(gate.waitMs()).toBe(500);
    now += 600;
    expect(gate.waitMs()).toBe(0);
  });

  it('narrows the batch width after throttled sub-requests, not below the 4 Outlook allows', () => {
    const gate = new MailboxGate();
    expect(gate.batchSize).toBe(20);
    gate.narrow();
    expect(gate.batchSize).toBe(10);
    gate.narrow();
    gate.narrow();
    expect(gate.batchSize).toBe(4);
  });
});
