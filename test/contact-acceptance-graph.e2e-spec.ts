import { contactAcceptance, GRAPH_TRANSPORT, measured } from './support/contact-acceptance';

// Acceptance 1 of issue #21, Graph side: the same body as the EWS-only file.
contactAcceptance(GRAPH_TRANSPORT);

afterAll(() => {
  process.stdout.write(`contact acceptance figures: ${JSON.stringify(measured)}\n`);
});
