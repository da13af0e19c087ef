import { DEFAULT_APP } from '../apps/m365-sim/src/sim-options';
import type { SimUser } from '../apps/m365-sim/src/store/model';
import { AdminHarness, type Browser } from './support/admin-harness';
import { simControl } from './support/admin-sim';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const PRA = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const APP_ADMIN = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';

/**
 * Finding 1 of the security review: a signed-in user without a consenting Entra role could
 * forge the consent callback (`admin_consent=True&tenant=`) and become Admin of a tenant that
 * our database did not show active, while our app's service principal still existed in Entra.
 * Only an active Global Administrator or Privileged Role Administrator, proven by a signed
 * source, may complete onboarding or re-activate a tenant.
 */
describe('admin consent needs a consenting directory role (wids or /me/memberOf)', () => {
  for (const source of ['wids', 'graph'] as const) {
    describe(`roles proven by ${source === 'wids' ? 'the wids claim' : 'Graph /me/memberOf'}`, () => {
      let h: AdminHarness;

      beforeAll(async () => {
        h = await AdminHarness.start({
          sim: {
            apps: [
              {
                ...structuredClone(DEFAULT_APP),
                groupMembershipClaims: source === 'wids' ? 'DirectoryRole' : 'None',
              },
            ],
          },
        });
      });
      afterAll(async () => {
        await h?.stop();
      });

      /** An enabled member of tenant `index` without any role, changed as the test needs. */
      function user(index: number, n: number): SimUser {
        const t = h.sim.state.tenants[index];
        const clientId = h.sim.info.apps[0].clientId;
        const plain = [...t.users.values()].filter(
          (u) =>
            !u.globalAdmin &&
            !u.deleted &&
            u.purpose === 'user' &&
            u.mailbox === 'cloud' &&
            u.user.accountEnabled &&
            !u.appRoles[clientId]?.length,
        );
        return plain[n];
      }

      async function signedIn(u: SimUser): Promise<Browser> {
        const b = h.browser();
        expect((await b.signIn(u.user.userPrincipalName!)).status).toBe(302);
        return b;
      }

      /** The attack: start consent (for a state), then call our callback as Microsoft would. */
      async function forge(b: Browser, tid: string) {
        const start = await b.request<{ error: string; message: string }>(
          'GET',
          '/api/onboarding/consent',
        );
        const state = start.headers.get('location')
          ? new URL(start.headers.get('location')!).searchParams.get('state')
          : 'csst_forgedforgedforgedforgedforged';
        const callback = await b.request<{ error: string; message: string }>(
          'GET',
          `/api/onboarding/callback?admin_consent=True&tenant=${tid}&state=${state}&scope=x`,
        );
        return { start, callback };
      }

      async function expectRefused(b: Browser, tid: string, error = 'consent_role_required') {
        const before = await h.counts();
        const { start, callback } = await forge(b, tid);
        expect(start.status).toBe(403);
        expect(start.body.error).toBe(error);
        expect(callback.status).toBe(403);
        expect(callback.body.error).toBe(error);
        // Nothing recorded: no tenant, no admin, no audit event, no token.
        expect(await h.counts()).toEqual(before);
        // The caller holds no role: the admin routes stay closed.
        const lists = await b.request('GET', '/api/lists');
        expect(lists.status).toBe(403);
        expect((await b.request('POST', '/api/tokens', { body: { name: 'x' } })).status).toBe(403);
        return callback.body;
      }

      async function tenantStatus(tid: string): Promise<string | undefined> {
        const rows = (await h.dataSource.query(
          'SELECT status FROM tenant WHERE azure_tenant_id = ?',
          [tid],
        )) as Array<{ status: string }>;
        return rows[0]?.status;
      }

      it('a role-less user of a tenant never onboarded here, whose service principal exists in Entra, gets 403 from the consent start and the forged callback', async () => {
        const tid = h.tenant(0).id;
        // Our app's service principal exists in the tenant (consented once, elsewhere).
        await simControl(h, 'POST', `/tenants/${tid}/consent`);
        const attacker = await signedIn(user(0, 0));
        const body = await expectRefused(attacker, tid);
        expect(body.message).toMatch(/Global Administrator or Privileged Role Administrator/);
        expect(body.message).toMatch(/Privileged Identity Management/);
        expect(await tenantStatus(tid)).toBeUndefined();
      });

      it('neither Sync.Admin (an app role anyone with Application Administrator can assign) nor an Application Administrator role counts', async () => {
        const tid = h.tenant(0).id;
        const syncAdmin = user(0, 1);
        syncAdmin.appRoles[h.sim.info.apps[0].clientId] = ['Sync.Admin'];
        await expectRefused(await signedIn(syncAdmin), tid);
        const appAdmin = user(0, 2);
        appAdmin.directoryRoles = [APP_ADMIN];
        await expectRefused(await signedIn(appAdmin), tid);
        expect(await tenantStatus(tid)).toBeUndefined();
      });

      it('a Global Administrator role that is only eligible (PIM) is refused until activated and signed in again', async () => {
        const tid = h.tenant(0).id;
        const eligible = user(0, 3);
        eligible.eligibleDirectoryRoles = [GA];
        await expectRefused(await signedIn(eligible), tid);
        // Activated: the same user signs in again and onboards the tenant.
        eligible.eligibleDirectoryRoles = [];
        eligible.directoryRoles = [GA];
        const b = await signedIn(eligible);
        const done = await b.consent(eligible.user.userPrincipalName!);
        expect(done.status).toBe(200);
        expect(await tenantStatus(tid)).toBe('active');
        const me = await b.request<{ role: string }>('GET', '/api/auth/me');
        expect(me.body.role).toBe('admin');
      });

      it('the Global Administrator onboards; an orphaned and a suspended tenant are not re-activated by a role-less user, and a Privileged Role Administrator re-activates them', async () => {
        const tid = h.tenant(1).id;
        const ga = h.browser();
        await ga.signIn(h.tenant(1).adminUpn);
        expect((await ga.consent(h.tenant(1).adminUpn)).status).toBe(200);
        expect(await tenantStatus(tid)).toBe('active');

        for (const status of ['orphaned', 'suspended']) {
          await h.dataSource.query('UPDATE tenant SET status = ? WHERE azure_tenant_id = ?', [
            status,
            tid,
          ]);
          const attacker = await signedIn(user(1, 0));
          await expectRefused(attacker, tid);
          expect(await tenantStatus(tid)).toBe(status);
        }

        const pra = user(1, 1);
        pra.directoryRoles = [PRA];
        const b = await signedIn(pra);
        const done = await b.consent(pra.user.userPrincipalName!);
        expect(done.status).toBe(200);
        expect(await tenantStatus(tid)).toBe('active');
        const rows = (await h.dataSource.query(
          'SELECT consented_by FROM tenant WHERE azure_tenant_id = ?',
          [tid],
        )) as Array<{ consented_by: string }>;
        expect(rows[0].consented_by).toBe(pra.user.id.toLowerCase());
      });
    });
  }
});
