/** `npm run sim`: starts the simulator and prints its URLs, CA path and the seeded sign-ins. */
import { parseArgs, helpText } from './sim-options';
import { startSimulator } from './index';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(helpText);
    return;
  }
  const sim = await startSimulator(args);
  const i = sim.info;
  const lines = [
    'm365-sim — simulated Microsoft 365 (identity, Graph v1.0 subset, EWS subset). Not Microsoft.',
    `  base URL        ${sim.baseUrl}`,
    `  authority host  ${sim.authorityHost}   (@azure/identity: authorityHost + disableInstanceDiscovery: true)`,
    `  Graph           ${sim.graphBaseUrl}   (Graph client: baseUrl ${sim.baseUrl}, customHosts ['${sim.host}'])`,
    `  EWS             ${sim.ewsUrl}`,
    `  CA certificate  ${sim.caPath}   (NODE_EXTRA_CA_CERTS=${sim.caPath})`,
    `  inspection      ${sim.baseUrl}/_sim/info , /_sim/stats , /_sim/faults`,
    '  app registrations:',
    ...i.apps.map((a) => `    ${a.displayName}: client id ${a.clientId}  secret ${a.clientSecret}`),
    '  tenants:',
    ...i.tenants.map(
      (t) =>
        `    ${t.displayName.padEnd(18)} id ${t.id}  domain ${t.domain}  users ${t.users}  admin sign-in ${t.adminUpn} (any password)${t.consented.length ? '  [consented]' : ''}`,
    ),
    '  EWS service accounts (NTLM; Basic where noted):',
    ...i.ewsAccounts.map(
      (a) =>
        `    ${a.userName} / ${a.password}${a.impersonation ? '  (ApplicationImpersonation)' : ''}${a.basicAuth ? '  (Basic allowed)' : ''}`,
    ),
  ];
  if (!args.quiet) console.log(lines.join('\n'));
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
