import { contactAcceptance, EWS_ONLY_TRANSPORT, measured } from './support/contact-acceptance';

// Acceptance 1 of issue #21 on an EWS-only organisation (Exchange Server, no Microsoft 365:
// directory from the GAL through FindPeople, every mailbox through EWS with NTLM): the same
// body as the Graph file, costs in SOAP operations with the NTLM handshakes beside them.
contactAcceptance(EWS_ONLY_TRANSPORT);

afterAll(() => {
  process.stdout.write(`contact acceptance figures: ${JSON.stringify(measured)}\n`);
});
