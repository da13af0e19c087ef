import { RunLifecycle } from './run-lifecycle';

describe('RunLifecycle', () => {
  it('lets each actor make its own transitions', () => {
    expect(RunLifecycle.allows('planner', 'queued', 'running')).toBe(true);
    expect(RunLifecycle.allows('finisher', 'running', 'succeeded')).toBe(true);
    expect(RunLifecycle.allows('sweeper', 'queued', 'partial')).toBe(true);
    expect(RunLifecycle.allows('cancel', 'running', 'cancelled')).toBe(true);
  });

  it('refuses a forbidden transition with a coded error', () => {
    // An ended run never changes again, whoever asks.
    for (const actor of ['planner', 'finisher', 'sweeper', 'cancel'] as const)
      for (const to of [
        'queued',
        'running',
        'succeeded',
        'partial',
        'failed',
        'cancelled',
      ] as const)
        expect(RunLifecycle.allows(actor, 'succeeded', to)).toBe(false);
    // The sweeper never declares success; a cancel cannot fail a run.
    expect(() => RunLifecycle.assert('sweeper', 'running', 'succeeded')).toThrow(
      expect.objectContaining({ code: 'RUN_TRANSITION_REFUSED' }),
    );
    expect(() => RunLifecycle.assert('cancel', 'running', 'failed')).toThrow(
      /RUN_TRANSITION_REFUSED/,
    );
    expect(() => RunLifecycle.assert('finisher', 'queued', 'succeeded')).toThrow(
      /may not move a run from queued to succeeded/,
    );
  });
});
