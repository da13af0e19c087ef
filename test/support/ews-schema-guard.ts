import { onSimulatorStarted, type RunningSimulator } from '../../apps/m365-sim/src';
import { checkEwsResponses } from '../../apps/m365-sim/test/ews-schema';

/**
 * Every end-to-end test file gets this (jest setupFilesAfterEnv): each simulator the file starts
 * records its EWS responses, and after the file's tests they are all validated against
 * Microsoft's EWS schema with xmllint (acceptance 5 of issue #21). An invalid response fails the
 * test file, naming the operation and showing the response. Files that sent no EWS traffic cost
 * nothing (xmllint is not even looked for).
 */
const started: RunningSimulator[] = [];
const stop = onSimulatorStarted((sim) => {
  sim.state.opts.ewsRecordResponses = true;
  started.push(sim);
});

afterAll(async () => {
  stop();
  const responses = started.flatMap((sim) => sim.state.ewsStats.recorded);
  if (!responses.length) return;
  const report = await checkEwsResponses(responses);
  // the bodies are dropped either way: a jest worker runs many files and must not keep them
  for (const sim of started) sim.state.ewsStats.recorded.length = 0;
  if (report.failures.length)
    throw new Error(
      `EWS responses of the simulator that do not validate against the EWS schema (${report.failures.length} of ${report.validated}):\n${report.failures.slice(0, 20).join('\n')}`,
    );
}, 120_000);
