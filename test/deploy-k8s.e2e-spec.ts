import { loadConfig } from '@app/config';
import { ALL_QUEUES, QueueName, queuePrefix } from '@app/queue';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYamlStream } from './support/yaml';
import { testKey } from './support/test-env';

// Issue #24, acceptance 1: the Kubernetes manifests render offline (`kubectl kustomize`, each
// overlay), every object validates against the Kubernetes schemas (kubernetes-models) and KEDA's
// objects against their CRD schemas (validators vendored in deploy/vendor/keda), and the
// invariants hold: TLS on 443 only, probes on /health/* on every container, non-root, resource
// limits sized from the benchmark, NetworkPolicies, graceful termination > SHUTDOWN_TIMEOUT_MS.
const ROOT = join(__dirname, '..');
const OVERLAYS = readdirSync(join(ROOT, 'deploy/k8s/overlays'));

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
};
type Validate = (data: unknown) => void;

/** The validator of one apiVersion/kind: kubernetes-models for Kubernetes, vendored for KEDA. */
function validatorFor(apiVersion: string, kind: string): Validate {
  if (apiVersion === 'keda.sh/v1alpha1') {
    const file = { ScaledObject: 'scaled-object', TriggerAuthentication: 'trigger-authentication' }[
      kind
    ];
    if (!file) throw new Error(`no KEDA schema vendored for ${kind}`);
    const { validate } = require(join(ROOT, `deploy/vendor/keda/${file}-validate.js`)) as {
      validate: ((data: unknown) => boolean) & { errors?: unknown[] };
    };
    return (data) => {
      if (!validate(data)) throw new Error(JSON.stringify(validate.errors));
    };
  }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = join('kubernetes-models', group, version, kind);
  const Model = (require(module) as Record<string, new (data: unknown) => { validate(): void }>)[
    kind
  ];
  return (data) => new Model(data).validate();
}

/** Renders an overlay from a scratch copy of deploy/k8s, its secrets.env made from the example. */
function render(overlay: string): Obj[] {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
  try {
    cpSync(join(ROOT, 'deploy/k8s'), dir, { recursive: true });
    for (const name of OVERLAYS)
      copyFileSync(
        join(ROOT, 'deploy/k8s/overlays/production/secrets.env.example'),
        join(dir, 'overlays', name, 'secrets.env'),
      );
    const yaml = execFileSync('kubectl', ['kustomize', join(dir, 'overlays', overlay)], {
      encoding: 'utf8',
    });
    const objects = parseYamlStream(yaml) as Obj[];
    // kustomize folds long base64 values over lines; the API server's decoder (Go's
    // encoding/base64) skips the newlines, the schema's "byte" format does not: unfold them
    for (const o of objects.filter((o) => o.kind === 'Secret'))
      for (const key of Object.keys(o.data ?? {})) o.data![key] = o.data![key].replace(/\s+/g, '');
    return objects;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SHUTDOWN_TIMEOUT_MS = 25_000;
const bench = JSON.parse(readFileSync(join(ROOT, 'bench/results/M-latest.json'), 'utf8')) as {
  resources: { workerPeakRssMb: number };
};

/** A Kubernetes quantity in bytes (Mi, Gi, M, G) or CPU cores (m). */
function quantity(value: string): number {
  const units: Record<string, number> = { m: 1e-3, Mi: 2 ** 20, Gi: 2 ** 30, M: 1e6, G: 1e9 };
  const [, n, unit] = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(value)!;
  return Number(n) * (unit ? units[unit] : 1);
}

it('has the overlays production and staging', () => {
  expect(OVERLAYS.sort()).toEqual(['production', 'staging']);
});

describe.each(OVERLAYS)('deploy/k8s/overlays/%s', (overlay) => {
  const objects = render(overlay);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const named = (kind: string, name: string) => of(kind).find((o) => o.metadata.name === name)!;
  const deployments = of('Deployment');
  const pods = deployments.map((d) => ({ name: d.metadata.name, spec: d.spec.template.spec }));
  const containers = pods.flatMap((p) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (p.spec.containers as any[]).map((c) => ({ pod: p, ...c })),
  );

  it('renders the expected objects, all in one namespace', () => {
    // the generated Secret's name ends in a hash of its content
    expect(of('Secret').map((o) => o.metadata.name)).toEqual([
      expect.stringMatching(/^contact-sync-secrets-[a-z0-9]{10}$/),
    ]);
    const names = objects.filter((o) => o.kind !== 'Secret');
    expect(names.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        `Namespace/${objects.find((o) => o.kind === 'Namespace')!.metadata.name}`,
        'ServiceAccount/contact-sync',
        'ConfigMap/contact-sync-config',
        'Deployment/admin-api',
        'Deployment/worker',
        'Service/admin-api',
        'Ingress/admin-api',
        'ScaledObject/worker',
        'TriggerAuthentication/redis',
        'PodDisruptionBudget/admin-api',
        'PodDisruptionBudget/worker',
        'NetworkPolicy/default-deny',
        'NetworkPolicy/admin-api-ingress',
        'NetworkPolicy/metrics-scrape',
        'NetworkPolicy/fleet-egress',
      ].sort(),
    );
    const namespace = of('Namespace')[0].metadata.name;
    for (const o of objects.filter((o) => o.kind !== 'Namespace'))
      expect(o.metadata.namespace).toBe(namespace);
  });

  it('validates every object against its schema (Kubernetes, KEDA CRDs)', () => {
    const problems: string[] = [];
    for (const o of objects) {
      try {
        validatorFor(o.apiVersion, o.kind)(o);
      } catch (error) {
        problems.push(`${o.kind}/${o.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the schema checks reject invalid objects (they are not vacuous)', () => {
    const deployment = structuredClone(named('Deployment', 'worker'));
    deployment.spec.template.spec.containers[0].resources.limits.memory = 'lots';
    expect(() => validatorFor('apps/v1', 'Deployment')(deployment)).toThrow(/memory/);
    const scaled = structuredClone(named('ScaledObject', 'worker'));
    delete scaled.spec.scaleTargetRef;
    expect(() => validatorFor('keda.sh/v1alpha1', 'ScaledObject')(scaled)).toThrow(
      /scaleTargetRef/,
    );
    const trigger = structuredClone(named('ScaledObject', 'worker'));
    trigger.spec.triggers[0].metadata.listLength = 32; // trigger metadata is strings only
    expect(() => validatorFor('keda.sh/v1alpha1', 'ScaledObject')(trigger)).toThrow();
  });

  it('serves HTTPS on 443 only: every Ingress host has TLS, HTTP redirects, no node ports', () => {
    const ingress = named('Ingress', 'admin-api');
    const hosts = ingress.spec.rules.map((r: { host: string }) => r.host);
    const tlsHosts = ingress.spec.tls.flatMap((t: { hosts: string[] }) => t.hosts);
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) expect(tlsHosts).toContain(host);
    expect(ingress.spec.tls.every((t: { secretName?: string }) => t.secretName)).toBe(true);
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
    });
    for (const service of of('Service')) expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    // the Ingress reaches the API's http port, never the metrics port
    const service = named('Service', 'admin-api');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    const backends = ingress.spec.rules.flatMap(
      (r: { http: { paths: { backend: { service: unknown } }[] } }) =>
        r.http.paths.map((p) => p.backend.service),
    );
    expect(backends).toEqual([{ name: 'admin-api', port: { name: 'http' } }]);
  });

  it('probes every container on /health/* through a port the container declares', () => {
    expect(containers.map((c) => c.name).sort()).toEqual(['admin-api', 'worker']);
    for (const c of containers) {
      const ports = (c.ports as { name: string }[]).map((p) => p.name);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(c[probe]?.httpGet?.path).toMatch(/^\/health\/(live|ready)$/);
        expect(ports).toContain(c[probe].httpGet.port);
      }
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    }
  });

  it('runs compiled JavaScript as non-root, read-only, without privileges or API token', () => {
    for (const { name, spec } of pods) {
      expect({ name, ...spec.securityContext }).toMatchObject({
        name,
        runAsNonRoot: true,
        runAsUser: expect.any(Number),
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(spec.automountServiceAccountToken).toBe(false);
    }
    for (const c of containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.command[0]).toBe('node');
      expect(c.command.at(-1)).toMatch(/^dist\/apps\/(admin-api|worker)\/src\/main\.js$/);
      expect(c.image).toMatch(/^registry\.example\.com\/contact-sync:[^:]+$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  it('sets requests and limits on every container, the worker sized from the benchmark', () => {
    for (const c of containers)
      for (const kind of ['requests', 'limits'])
        for (const resource of ['cpu', 'memory'])
          expect([c.name, kind, resource, c.resources?.[kind]?.[resource]]).toEqual([
            c.name,
            kind,
            resource,
            expect.any(String),
          ]);
    const worker = containers.find((c) => c.name === 'worker')!;
    const peak = bench.resources.workerPeakRssMb * 2 ** 20;
    // the request covers the measured peak RSS; the limit leaves room above it
    expect(quantity(worker.resources.requests.memory)).toBeGreaterThanOrEqual(peak);
    expect(quantity(worker.resources.limits.memory)).toBeGreaterThanOrEqual(peak * 1.5);
    expect(worker.command).toContain('--max-old-space-size=320');
  });

  it('gives each pod longer to stop than SHUTDOWN_TIMEOUT_MS (plus its preStop pause)', () => {
    expect(named('ConfigMap', 'contact-sync-config').data!.SHUTDOWN_TIMEOUT_MS).toBe(
      String(SHUTDOWN_TIMEOUT_MS),
    );
    for (const { spec } of pods) {
      const pause = spec.containers
        .map((c: { lifecycle?: { preStop?: { exec?: { command: string[] } } } }) =>
          Number(c.lifecycle?.preStop?.exec?.command[1] ?? 0),
        )
        .reduce((a: number, b: number) => Math.max(a, b), 0);
      expect(spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        SHUTDOWN_TIMEOUT_MS + pause * 1000,
      );
    }
  });

  it('reads secrets from the generated Secret, which holds every secret the fleet needs', () => {
    const secret = of('Secret')[0];
    for (const c of containers) {
      const refs = (c.envFrom as { secretRef?: { name: string } }[])
        .map((e) => e.secretRef?.name)
        .filter(Boolean);
      expect(refs).toEqual([secret.metadata.name]);
      expect(JSON.stringify(c.env ?? [])).not.toMatch(/SECRET|PASSWORD|KEY/);
    }
    const keys = Object.keys(secret.data!);
    for (const key of [
      'DATABASE_URL',
      'REDIS_URL',
      'REDIS_PASSWORD',
      'MONGO_URL',
      'ENCRYPTION_KEYS',
      'ADMIN_SESSION_SECRET',
      'MICROSOFT_CLIENT_SECRET',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRETS',
    ])
      expect(keys).toContain(key);
    // the ConfigMap holds no secret
    expect(Object.keys(named('ConfigMap', 'contact-sync-config').data!)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/URL|SECRET|KEYS|PASSWORD/)]),
    );
    const auth = named('TriggerAuthentication', 'redis');
    expect(auth.spec.secretTargetRef).toEqual([
      { parameter: 'password', name: secret.metadata.name, key: 'REDIS_PASSWORD' },
    ]);
  });

  it("scales workers with KEDA on BullMQ's wait lists, as the product names them", () => {
    const scaled = named('ScaledObject', 'worker');
    expect(scaled.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'worker',
    });
    // workers promote delayed and scheduled jobs: never scale to zero
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
    // the product's key prefix (REDIS_KEY_PREFIX default, not set in the ConfigMap)
    const { config } = loadConfig({ ENCRYPTION_KEYS: testKey(), DATABASE_URL: 'sqlite::memory:' });
    expect(named('ConfigMap', 'contact-sync-config').data!.REDIS_KEY_PREFIX).toBeUndefined();
    const prefix = queuePrefix(config.redis.keyPrefix);
    const lists = scaled.spec.triggers.map(
      (t: { type: string; metadata: { listName: string } }) => {
        expect(t.type).toBe('redis');
        return t.metadata.listName;
      },
    );
    expect(lists).toEqual([
      `${prefix}:${QueueName.SyncMailbox}:wait`,
      `${prefix}:${QueueName.PlanRun}:wait`,
      `${prefix}:${QueueName.ImportCsv}:wait`,
    ]);
    for (const list of lists)
      expect(ALL_QUEUES).toContain(/^\{[a-z0-9-]+\}:(.+):wait$/.exec(list)![1]);
    expect(Number(scaled.spec.triggers[0].metadata.listLength)).toBeGreaterThan(0);
    for (const t of scaled.spec.triggers) expect(t.authenticationRef).toEqual({ name: 'redis' });
  });

  it('keeps a replica of each Deployment through voluntary disruptions', () => {
    for (const d of deployments) {
      const budget = of('PodDisruptionBudget').find(
        (b) =>
          JSON.stringify(b.spec.selector.matchLabels) ===
          JSON.stringify(d.spec.selector.matchLabels),
      );
      expect([d.metadata.name, budget?.metadata.name]).toEqual([d.metadata.name, d.metadata.name]);
      expect(d.spec.template.metadata.labels).toMatchObject(budget!.spec.selector.matchLabels);
    }
    expect(named('PodDisruptionBudget', 'admin-api').spec.minAvailable).toBe(1);
    expect(named('PodDisruptionBudget', 'worker').spec.maxUnavailable).toBe(1);
  });

  it('denies by default; allows ingress to the API from the ingress controller and the listed egress', () => {
    const deny = named('NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const apiIngress = named('NetworkPolicy', 'admin-api-ingress');
    expect(apiIngress.spec.podSelector.matchLabels).toEqual(
      named('Deployment', 'admin-api').spec.selector.matchLabels,
    );
    expect(apiIngress.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          },
        ],
        ports: [{ port: 3000, protocol: 'TCP' }],
      },
    ]);
    // nothing else admits traffic to the workers but metrics scrapes from monitoring
    const ingressPolicies = of('NetworkPolicy').filter((p) => p.spec.ingress);
    expect(ingressPolicies.map((p) => p.metadata.name).sort()).toEqual([
      'admin-api-ingress',
      'metrics-scrape',
    ]);
    expect(named('NetworkPolicy', 'metrics-scrape').spec.ingress[0].ports).toEqual([
      { port: 9464, protocol: 'TCP' },
    ]);
    // the metrics listener is where the policy and the scrape annotations say
    expect(named('ConfigMap', 'contact-sync-config').data).toMatchObject({
      METRICS_HOST: '0.0.0.0',
      METRICS_PORT: '9464',
      WORKER_METRICS_PORT: '9464',
    });
    for (const c of containers)
      expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 9464 });
    for (const d of deployments)
      expect(d.spec.template.metadata.annotations['prometheus.io/port']).toBe('9464');

    const egress = named('NetworkPolicy', 'fleet-egress').spec.egress as {
      to?: { ipBlock?: { cidr: string; except?: string[] } }[];
      ports: { port: number }[];
    }[];
    const ports = egress.flatMap((rule) => rule.ports.map((p) => p.port)).sort((a, b) => a - b);
    // DNS, SMTP, HTTPS (Microsoft), SQL Server, PostgreSQL, Redis, MongoDB
    expect(ports).toEqual([25, 53, 53, 443, 465, 587, 1433, 5432, 6379, 6380, 27017]);
    const https = egress.find((rule) => rule.ports.some((p) => p.port === 443))!;
    expect(https.to).toEqual([
      {
        ipBlock: {
          cidr: '0.0.0.0/0',
          except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'],
        },
      },
    ]);
    const data = egress.find((rule) => rule.ports.some((p) => p.port === 1433))!;
    expect(data.to!.every((t) => t.ipBlock && !t.ipBlock.cidr.startsWith('0.0.0.0'))).toBe(true);
  });
});
