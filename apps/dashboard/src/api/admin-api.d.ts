// Generated from the admin API's OpenAPI document by `npm run dashboard:client`: do not edit.
// test/dashboard-client-current.e2e-spec.ts fails when this file is not current.

export interface paths {
    "/api/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sync activity per UTC day (runs, items written, mailboxes synced, failed and throttled) and the mailboxes that received the most items
         * @description From the run history in SQL: sync runs (not previews or clean-ups) by the day they finished; `days` ends with today (UTC). Throttled mailboxes are those whose outcome code is THROTTLED (counted among the failed).
         */
        get: operations["ActivityController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alert settings: e-mail recipients, webhook URL (the secret is never returned), quiet period */
        get: operations["AlertsController_get"];
        /** Sets the alert settings. Alerts fire when a run ends failed or partial, or consent is lost; webhooks are signed: X-Contact-Sync-Signature: sha256=<hex HMAC-SHA256 of the body> */
        put: operations["AlertsController_put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends a test alert now on the saved channels (e-mail, signed webhook of kind `test`) and answers how each went; not retried
         * @description Each channel answers `sent`, `failed` (the webhook with its `code` and `httpStatus`) or `none` (nothing saved, or no SMTP server configured: `email.configured` false). Audited as `alerts.test`.
         */
        post: operations["AlertsController_sendTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit log: who changed what, when (sign-ins and refused API tokens too); filters by actor, action, target and time */
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OIDC redirect URI: redeems the code, validates the ID token, starts the session */
        get: operations["AuthController_callback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sign in with Microsoft (redirects to the /organizations authority; PKCE) */
        get: operations["AuthController_login"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the session (needs X-CSRF-Token) */
        post: operations["AuthController_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user, their role, the tenant status and the CSRF token */
        get: operations["AuthController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Plan, seats, mailbox limit, synced mailboxes, grace period, and what the admin must do (payment_action_required: confirm the payment at paymentActionUrl) */
        get: operations["BillingController_overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A Stripe Checkout Session to subscribe for `seats` mailboxes: redirect to `url` */
        post: operations["BillingController_checkout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/portal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A Stripe Customer Portal session (payment methods, invoices, cancellation): redirect to `url` */
        post: operations["BillingController_portal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/seats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Changes the seat count (prorated). Fewer seats than synced mailboxes answers 409 seats_below_usage saying how many would stop being updated, unless acceptFrozen */
        put: operations["BillingController_seats"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/stripe/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stripe webhook (Stripe calls it; configure the endpoint with the pinned API version). 400 stripe_signature_invalid on a bad, missing or stale signature; a repeated event answers 200 and changes nothing. */
        post: operations["BillingWebhookController_webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Synced mailboxes per day (UTC), oldest first: what seats rest on */
        get: operations["BillingController_usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Calendar lists of the tenant */
        get: operations["CalendarListsController_list"];
        put?: never;
        /** Creates a calendar list: sources (holidays by country/state/region, iCalendar feed URL, uploaded file, manual, a source mailbox), window, destination, show-as, reminder */
        post: operations["CalendarListsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One calendar list */
        get: operations["CalendarListsController_get"];
        put?: never;
        post?: never;
        /** Deletes a calendar list with its targets, schedule and stored events; the worker then deletes exactly our events from every mailbox (GET /api/list-cleanups/{id}) */
        delete: operations["CalendarListsController_remove"];
        options?: never;
        head?: never;
        /** Changes a calendar list */
        patch: operations["CalendarListsController_update"];
        trace?: never;
    };
    "/api/calendar-lists/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calendar list's run history, newest first (each run's details: GET /api/runs/{id}) */
        get: operations["CalendarListsController_listRuns"];
        put?: never;
        /** Sync now (mode sync) or a dry-run preview (mode dry_run, writes nothing; its plan: GET /api/runs/{id}/preview): 202 with the run id, started or merged into the active run */
        post: operations["CalendarListsController_requestRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists/{id}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calendar list's schedule with its next fire times */
        get: operations["CalendarListsController_getSchedule"];
        /** Sets the schedule (cron + IANA time zone, validated); feeds are fetched on it */
        put: operations["CalendarListsController_putSchedule"];
        post?: never;
        /** Removes the schedule */
        delete: operations["CalendarListsController_removeSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists/{id}/sources/{sourceId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A manual source's events, by start */
        get: operations["CalendarListsController_listEvents"];
        put?: never;
        /** Adds a manual event (an appointment, never a meeting): subject, start/end as dateTime + IANA timeZone or all-day dates (end exclusive), optional recurrence, show-as, reminder */
        post: operations["CalendarListsController_addEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists/{id}/sources/{sourceId}/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One manual event */
        get: operations["CalendarListsController_getEvent"];
        put?: never;
        post?: never;
        /** Deletes a manual event; the next run removes it from every mailbox */
        delete: operations["CalendarListsController_removeEvent"];
        options?: never;
        head?: never;
        /** Changes a manual event (null removes an optional field), checked as a new one; the next run updates it in every mailbox */
        patch: operations["CalendarListsController_updateEvent"];
        trace?: never;
    };
    "/api/calendar-lists/{id}/sources/{sourceId}/ics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replaces an ics-upload source's events with an iCalendar file, all or nothing: a malformed file answers 400 with the line and the reason and stores nothing */
        post: operations["CalendarListsController_upload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists/{id}/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who receives the calendar list */
        get: operations["CalendarListsController_listTargets"];
        put?: never;
        /** Adds a target: all, a group, a user or a filter; include or exclude */
        post: operations["CalendarListsController_addTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/calendar-lists/{id}/targets/{targetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Removes a target; the next run deletes our events from mailboxes no longer targeted */
        delete: operations["CalendarListsController_removeTarget"];
        options?: never;
        head?: never;
        /** Changes a target, checked as a new one; the next run follows it */
        patch: operations["CalendarListsController_updateTarget"];
        trace?: never;
    };
    "/api/directory/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's groups (id, display name), to pick a group target */
        get: operations["DirectoryController_groups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/directory/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users (id, display name, user principal name, mail): named by ids (e.g. the mailboxes of a run), or found by search as the admin types (the user picker), by display name */
        get: operations["DirectoryController_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** EWS connection for on-premises mailboxes (the password is never returned: passwordSet only) */
        get: operations["EwsController_get"];
        /** Sets the EWS connection: https server URL, user, password (write-only, stored encrypted; omit to keep), impersonation address, Global Address List id and CA certificate (each: omit to keep, null to clear; an EWS-only organisation cannot clear the impersonation address or the Global Address List id: 400 naming the field) */
        put: operations["EwsController_put"];
        post?: never;
        /** Removes the EWS connection and its stored password */
        delete: operations["EwsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ews/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tests the stored EWS connection (DNS, TLS, sign-in, impersonation of the mailbox): ok, or a code and a sentence saying what to fix. Changes nothing */
        post: operations["EwsController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/holidays/countries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Countries with public holiday data (code, English name) */
        get: operations["HolidaysController_countries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/holidays/countries/{country}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One country's states with their regions and the languages its holiday names come in (404 if unknown) */
        get: operations["HolidaysController_country"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/list-cleanups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deleted lists' clean-ups, newest first (reads only) */
        get: operations["ListCleanupsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/list-cleanups/{listId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A deleted list's clean-up (reads only): state (requested, cleaning, failed, done), mailboxes total/cleaned/remaining/failed, items deleted, the run (per-mailbox outcomes at /api/runs/:id), the coded error when failed */
        get: operations["ListCleanupsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/list-cleanups/{listId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retries a failed clean-up of a deleted list (idempotent: only our tagged items are deleted); 409 unless it failed */
        post: operations["ListCleanupsController_retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Contact lists of the tenant */
        get: operations["ListsController_list"];
        put?: never;
        /** Creates a contact list (sources, mapping, filters, policies, folder, photos) */
        post: operations["ListsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact list */
        get: operations["ListsController_get"];
        put?: never;
        post?: never;
        /** Deletes a contact list with its targets and schedule */
        delete: operations["ListsController_remove"];
        options?: never;
        head?: never;
        /** Changes a contact list */
        patch: operations["ListsController_update"];
        trace?: never;
    };
    "/api/lists/{id}/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The list's manual entries, oldest first; search by exact e-mail or key */
        get: operations["ListsController_listEntries"];
        put?: never;
        /** Adds a manual entry (contact fields as in a CSV header; a key, or its first e-mail as key); checked as the sync reads it */
        post: operations["ListsController_addEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/entries/{entryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One manual entry */
        get: operations["ListsController_getEntry"];
        put?: never;
        post?: never;
        /** Deletes a manual entry; the next run removes its contact */
        delete: operations["ListsController_removeEntry"];
        options?: never;
        head?: never;
        /** Changes fields of a manual entry (null or "" removes one); its key never changes */
        patch: operations["ListsController_updateEntry"];
        trace?: never;
    };
    "/api/lists/{id}/entries/csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queues a CSV import that replaces (or merges into) the list's manual entries, all or nothing; answers 202 with the job id and its status URL */
        post: operations["ListsController_importCsv"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/entries/csv/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status of a CSV import: queued, running, succeeded or failed, with progress and per-row problems */
        get: operations["ListsController_csvImportStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dry-run preview: plans what a run would change, writes nothing to mailboxes */
        post: operations["ListsController_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The list's schedule with its next fire times */
        get: operations["ListsController_getSchedule"];
        /** Sets the schedule (cron + IANA time zone, validated) */
        put: operations["ListsController_putSchedule"];
        post?: never;
        /** Removes the schedule */
        delete: operations["ListsController_removeSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sync now: 202 with the run id (status started, merged into the active run, or queued) */
        post: operations["ListsController_syncNow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who receives the list */
        get: operations["ListsController_listTargets"];
        put?: never;
        /** Adds a target: all, a group, a user or a filter; include or exclude */
        post: operations["ListsController_addTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lists/{id}/targets/{targetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Removes a target */
        delete: operations["ListsController_removeTarget"];
        options?: never;
        head?: never;
        /** Changes a target (kind, mode, group or user id, filter), checked as a new one; the next run follows it */
        patch: operations["ListsController_updateTarget"];
        trace?: never;
    };
    "/api/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's sync logs, newest first, paged, by run, mailbox and level
         * @description Kept LOG_RETENTION_DAYS (at most 30) in the log store. A run id of another tenant answers 404. Messages carry no secrets (tokens and credentials are masked).
         */
        get: operations["LogsController_page"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mailboxes/{userId}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A mailbox's outcomes across runs, newest first, paged (404: not a mailbox of the tenant) */
        get: operations["MailboxesController_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/onboarding/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Admin consent redirect URI: checks state and tenant, verifies and records the consent */
        get: operations["OnboardingController_callback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/onboarding/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Starts admin consent for the signed-in user's tenant (redirect) */
        get: operations["OnboardingController_consent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/operator/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tenants the signed-in user may manage as an MSP operator (our tenant id for X-Tenant-Id, Azure tenant id, name, status, role) */
        get: operations["OperatorTenantsController_tenants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Run history, newest first */
        get: operations["RunsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One run: counts, mailboxes by status, error codes and what to do about them
         * @description Changed (issue #19): the unpaged `mailboxOutcomes` array is gone. `outcomes` counts the mailboxes by status (succeeded, failed, skipped, cancelled, notReported); the per-mailbox outcomes are paged and filtered by `GET /api/runs/{id}/mailboxes`.
         */
        get: operations["RunsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancels a queued or running run (409 when it has ended, or for a clean-up run)
         * @description The run ends as `cancelled` at once and the list may run again. Its mailbox jobs stop between two write batches: what they wrote is recorded (map and counts; their outcome is `cancelled`), jobs not started do nothing. The next run finishes the rest.
         */
        post: operations["RunsController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's sync logs, newest first, paged (as GET /api/logs?runId=) */
        get: operations["RunsController_runLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/mailboxes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The run's per-mailbox outcomes by mailbox id, paged, filtered by status and code
         * @description Each outcome: status, code, message, advice, items created/updated/deleted. `nextCursor` is null on the last page. Mailboxes that never reported (see `outcomes.notReported` of the run) have no outcome.
         */
        get: operations["RunsController_mailboxes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A preview's plan per mailbox (paged by mailbox): counts and a sample of the changes the next run makes — which contact, which fields, create/update/delete — including the deletions in mailboxes no longer targeted; 409 when the run is not a preview */
        get: operations["RunsController_preview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's tenant: status, consent, granted and missing permissions */
        get: operations["OnboardingController_tenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/cleanup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Clean-up progress (reads only): state and worker phase, per list run status, mailboxes done/total, items deleted; the coded error when failed; once revoked, the steps to remove the enterprise app */
        get: operations["CleanupController_progress"];
        put?: never;
        /** Clean up and revoke (Admin): records the request and disables every list; the worker then runs a clean-up run per list that removes our items from every mailbox and, when all succeed, deletes our logs and caches and suspends the tenant. POST on a failed clean-up retries it */
        post: operations["CleanupController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MSP operators granted on this tenant (Admin of the tenant only; not operators) */
        get: operations["TenantOperatorsController_list"];
        put?: never;
        /** Grants a user of another Entra tenant (home tenant id + object id) Admin or Viewer on this tenant; 409 if that operator already has a grant */
        post: operations["TenantOperatorsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/operators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revokes an operator grant; the operator's next request for this tenant is refused */
        delete: operations["TenantOperatorsController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API tokens of the tenant (never the token itself) */
        get: operations["TokensController_list"];
        put?: never;
        /** Creates an API token; the token is in this answer only */
        post: operations["TokensController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revokes an API token */
        delete: operations["TokensController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    ActivityController_get: {
        parameters: {
            query?: {
                days?: number;
                mailboxes?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        days: {
                            /** Format: date */
                            date: string;
                            itemsWritten: number;
                            mailboxesFailed: number;
                            mailboxesSynced: number;
                            mailboxesThrottled: number;
                            runs: number;
                            runsFailed: number;
                        }[];
                        /** Format: date-time */
                        from: string;
                        mailboxes: {
                            failed: number;
                            itemsWritten: number;
                            mailboxId: string;
                            runs: number;
                        }[];
                        /** Format: date-time */
                        to: string;
                        totals: {
                            itemsWritten: number;
                            mailboxesFailed: number;
                            mailboxesSynced: number;
                            mailboxesThrottled: number;
                            runs: number;
                            runsFailed: number;
                        };
                    };
                };
            };
        };
    };
    AlertsController_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AlertsController_put: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default [] */
                    emails: string[];
                    quietMinutes: number;
                    webhookSecret?: string;
                    /** @default null */
                    webhookUrl: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AlertsController_sendTest: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuditController_list: {
        parameters: {
            query?: {
                /** @description e.g. auth.sign_in; a trailing * matches a prefix (list.*) */
                action?: string;
                actorId?: string;
                actorType?: "admin" | "api_token" | "operator" | "system";
                from?: string;
                limit?: number;
                offset?: number;
                targetId?: string;
                targetType?: string;
                to?: string;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuthController_callback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuthController_login: {
        parameters: {
            query?: {
                login_hint?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuthController_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuthController_me: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The Entra tenant id; null for an Exchange Server organisation without Microsoft 365 (EWS only) */
                        azureTenantId: string | null;
                        csrfToken: string | null;
                        /** @enum {string} */
                        kind: "session" | "api_token";
                        name?: string | null;
                        /** @description The signed-in user's Entra object id */
                        oid?: string | null;
                        /** @description Set while an MSP operator acts for a managed tenant (X-Tenant-Id) */
                        operator?: {
                            homeTenantId: string;
                            tenantId: string;
                        } | null;
                        /** @enum {string|null} */
                        role: "admin" | "viewer" | null;
                        /** @description not_onboarded, active, orphaned (consent revoked) or suspended */
                        tenantStatus: string;
                        username?: string | null;
                    };
                };
            };
        };
    };
    BillingController_overview: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BillingController_checkout: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    seats: number;
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BillingController_portal: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BillingController_seats: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default false */
                    acceptFrozen: boolean;
                    seats: number;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BillingWebhookController_webhook: {
        parameters: {
            query?: never;
            header: {
                "Stripe-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    BillingController_usage: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    enabled?: boolean;
                    name: string;
                    settings: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    enabled?: boolean;
                    name?: string;
                    settings?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_listRuns: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_requestRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @default sync
                     * @enum {string}
                     */
                    mode: "sync" | "dry_run";
                };
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_getSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_putSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cron: string;
                    /** @default true */
                    enabled: boolean;
                    /** @default UTC */
                    timeZone: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_removeSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_listEvents: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                /** @description the id of one of the list's sources */
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_addEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                /** @description the id of one of the list's sources */
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body?: string;
                    categories?: string[];
                    end: {
                        date?: string;
                        dateTime?: string;
                        timeZone?: string;
                    };
                    isReminderOn?: boolean;
                    location?: string;
                    recurrence?: {
                        pattern: {
                            interval: number;
                            /** @constant */
                            type: "daily";
                        } | {
                            daysOfWeek: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
                            /**
                             * @default monday
                             * @enum {string}
                             */
                            firstDayOfWeek: "sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday";
                            interval: number;
                            /** @constant */
                            type: "weekly";
                        } | {
                            dayOfMonth: number;
                            interval: number;
                            /** @constant */
                            type: "absoluteMonthly";
                        } | {
                            daysOfWeek: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
                            /** @enum {string} */
                            index: "first" | "second" | "third" | "fourth" | "last";
                            interval: number;
                            /** @constant */
                            type: "relativeMonthly";
                        } | {
                            dayOfMonth: number;
                            interval: number;
                            month: number;
                            /** @constant */
                            type: "absoluteYearly";
                        } | {
                            daysOfWeek: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
                            /** @enum {string} */
                            index: "first" | "second" | "third" | "fourth" | "last";
                            interval: number;
                            month: number;
                            /** @constant */
                            type: "relativeYearly";
                        };
                        range: {
                            startDate: string;
                            /** @constant */
                            type: "noEnd";
                        } | {
                            endDate: string;
                            startDate: string;
                            /** @constant */
                            type: "endDate";
                        } | {
                            numberOfOccurrences: number;
                            startDate: string;
                            /** @constant */
                            type: "numbered";
                        };
                    };
                    reminderMinutesBeforeStart?: number;
                    /** @enum {string} */
                    showAs?: "free" | "tentative" | "busy" | "oof" | "workingElsewhere";
                    start: {
                        date?: string;
                        dateTime?: string;
                        timeZone?: string;
                    };
                    subject: string;
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_getEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                eventId: string;
                id: string;
                /** @description the id of one of the list's sources */
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_removeEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                eventId: string;
                id: string;
                /** @description the id of one of the list's sources */
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_updateEvent: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                eventId: string;
                id: string;
                /** @description the id of one of the list's sources */
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body?: string | null;
                    categories?: string[] | null;
                    end?: {
                        date?: string;
                        dateTime?: string;
                        timeZone?: string;
                    };
                    isReminderOn?: boolean | null;
                    location?: string | null;
                    recurrence?: {
                        pattern: {
                            interval: number;
                            /** @constant */
                            type: "daily";
                        } | {
                            daysOfWeek: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
                            /**
                             * @default monday
                             * @enum {string}
                             */
                            firstDayOfWeek: "sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday";
                            interval: number;
                            /** @constant */
                            type: "weekly";
                        } | {
                            dayOfMonth: number;
                            interval: number;
                            /** @constant */
                            type: "absoluteMonthly";
                        } | {
                            daysOfWeek: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
                            /** @enum {string} */
                            index: "first" | "second" | "third" | "fourth" | "last";
                            interval: number;
                            /** @constant */
                            type: "relativeMonthly";
                        } | {
                            dayOfMonth: number;
                            interval: number;
                            month: number;
                            /** @constant */
                            type: "absoluteYearly";
                        } | {
                            daysOfWeek: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
                            /** @enum {string} */
                            index: "first" | "second" | "third" | "fourth" | "last";
                            interval: number;
                            month: number;
                            /** @constant */
                            type: "relativeYearly";
                        };
                        range: {
                            startDate: string;
                            /** @constant */
                            type: "noEnd";
                        } | {
                            endDate: string;
                            startDate: string;
                            /** @constant */
                            type: "endDate";
                        } | {
                            numberOfOccurrences: number;
                            startDate: string;
                            /** @constant */
                            type: "numbered";
                        };
                    } | null;
                    reminderMinutesBeforeStart?: number | null;
                    showAs?: ("free" | "tentative" | "busy" | "oof" | "workingElsewhere") | null;
                    start?: {
                        date?: string;
                        dateTime?: string;
                        timeZone?: string;
                    };
                    subject?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_upload: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                /** @description the id of one of the list's ics-upload sources */
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/calendar": string;
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_listTargets: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_addTarget: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter?: {
                        [key: string]: unknown;
                    };
                    id?: string;
                    /** @enum {string} */
                    kind: "all" | "group" | "user" | "filter";
                    /**
                     * @default include
                     * @enum {string}
                     */
                    mode: "include" | "exclude";
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_removeTarget: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                targetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CalendarListsController_updateTarget: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                targetId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter?: {
                        [key: string]: unknown;
                    };
                    id?: string;
                    /** @enum {string} */
                    kind?: "all" | "group" | "user" | "filter";
                    /** @enum {string} */
                    mode?: "include" | "exclude";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DirectoryController_groups: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DirectoryController_users: {
        parameters: {
            query?: {
                /** @description Comma-separated user (mailbox) ids, at most 100 (give ids or search) */
                ids?: string;
                /** @description With search: at most this many users (1 to 25, default 10) */
                limit?: number;
                /** @description Part of a name (the start of a word), a mail address or principal name: 2 to 64 characters, no double quote (give ids or search) */
                search?: string;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EwsController_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EwsController_put: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An EWS-only organisation's directory: the GUID of its Global Address List (Get-GlobalAddressList | Format-List Name,Guid). Omitted = keep the stored one; null = none (a hybrid tenant's directory is Entra ID; refused for an EWS-only organisation). */
                    addressListId?: unknown | null;
                    /**
                     * @default ntlm
                     * @enum {string}
                     */
                    authMode: "ntlm" | "basic";
                    /** @description PEM of the CA that signs the server's certificate. Omitted = keep the stored one; null = none (system CAs). */
                    caCertificate?: string | null;
                    /** @description Mailbox to impersonate (ApplicationImpersonation); an EWS-only organisation reads its directory as it. Omitted = keep the stored one; null = none (refused for an EWS-only organisation). */
                    impersonationAddress?: string | null;
                    password?: string;
                    serverUrl: string;
                    username: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EwsController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EwsController_test: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    mailbox?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HolidaysController_countries: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            code: string;
                            name: string;
                        }[];
                    };
                };
            };
        };
    };
    HolidaysController_country: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description ISO 3166-1 alpha-2 code, e.g. DE */
                country: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        code: string;
                        languages: string[];
                        name: string;
                        states: {
                            code: string;
                            name: string;
                            regions: {
                                code: string;
                                name: string;
                            }[];
                        }[];
                    };
                };
            };
        };
    };
    ListCleanupsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListCleanupsController_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                listId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListCleanupsController_retry: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                listId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    defaultRegion?: string;
                    description?: string | null;
                    enabled?: boolean;
                    name: string;
                    settings: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    defaultRegion?: string;
                    description?: string | null;
                    enabled?: boolean;
                    name?: string;
                    settings?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_listEntries: {
        parameters: {
            query?: {
                /** @description entries whose first e-mail address is exactly this (searched by blind index) */
                email?: string;
                /** @description the entry with exactly this key (searched by blind index) */
                key?: string;
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_addEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    fields: {
                        [key: string]: string;
                    };
                    key?: string;
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_getEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                entryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_removeEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                entryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_updateEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                entryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    fields: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_importCsv: {
        parameters: {
            query?: {
                /** @description replace (default): the file becomes the list's entries; merge: its rows add entries or update those with the same key, the others stay */
                mode?: "replace" | "merge";
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_csvImportStatus: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_preview: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_getSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_putSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cron: string;
                    /** @default true */
                    enabled: boolean;
                    /** @default UTC */
                    timeZone: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_removeSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_syncNow: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_listTargets: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_addTarget: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter?: {
                        [key: string]: unknown;
                    };
                    id?: string;
                    /** @enum {string} */
                    kind: "all" | "group" | "user" | "filter";
                    /**
                     * @default include
                     * @enum {string}
                     */
                    mode: "include" | "exclude";
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_removeTarget: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                targetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ListsController_updateTarget: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
                targetId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    filter?: {
                        [key: string]: unknown;
                    };
                    id?: string;
                    /** @enum {string} */
                    kind?: "all" | "group" | "user" | "filter";
                    /** @enum {string} */
                    mode?: "include" | "exclude";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    LogsController_page: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: unknown;
                level?: "debug" | "info" | "warn" | "error";
                limit?: number;
                mailboxId?: string;
                runId?: string;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    MailboxesController_history: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: unknown;
                limit?: number;
                listId?: string;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description the mailbox owner's directory id */
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OnboardingController_callback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OnboardingController_consent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OperatorTenantsController_tenants: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_list: {
        parameters: {
            query?: {
                limit?: number;
                listId?: string;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_get: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_cancel: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_runLogs: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: unknown;
                level?: "debug" | "info" | "warn" | "error";
                limit?: number;
                mailboxId?: string;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_mailboxes: {
        parameters: {
            query?: {
                /** @description `nextCursor` of the previous page */
                cursor?: unknown;
                /** @description e.g. MAILBOX_NOT_FOUND */
                errorCode?: unknown;
                limit?: number;
                status?: "succeeded" | "failed" | "skipped" | "cancelled";
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_preview: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Every mailbox has reported */
                        finished: boolean;
                        /** @description Totals over every mailbox */
                        items: {
                            created: number;
                            deleted: number;
                            updated: number;
                        };
                        /** Format: uuid */
                        listId: string;
                        mailboxes: {
                            items: {
                                /** @description The first 50 changes, in the order the run makes them */
                                changes: {
                                    /** @enum {string} */
                                    action: "create" | "update" | "delete";
                                    /** @description Fields written (creates and updates); photoHash stands for the photo */
                                    fields?: string[];
                                    /** @description The mailbox item (updates and deletes) */
                                    itemId?: string;
                                    /** @description The contact's display name */
                                    name?: string;
                                    /** @description What the admin should know of the item, e.g. an event that is one of the single events a series became (its rule has no Graph equivalent) */
                                    note?: string;
                                    /** @description An update that re-tags the item */
                                    previousSourceKey?: string;
                                    /**
                                     * @description Deletes: no longer in the list, a second copy, the mailbox is no longer targeted, or moved = left in the old folder after a folder change (re-created in the new one first). Updates: recreated = the photo must go and Graph cannot remove a contact photo, so the contact is created again without it and the old one deleted (its id changes)
                                     * @enum {string}
                                     */
                                    reason?: "not-desired" | "duplicate" | "not-targeted" | "moved" | "recreated";
                                    /** @description The contact in the list (user:<id>, orgcontact:<id>, manual:<key>, ...) */
                                    sourceKey: string;
                                }[];
                                /** @description DRY_RUN_PLAN, or why the mailbox has no plan */
                                code: string | null;
                                counts: {
                                    created: number;
                                    deleted: number;
                                    updated: number;
                                } | null;
                                mailboxId: string;
                                message: string;
                                /** @description More changes than the sample */
                                truncated: boolean;
                            }[];
                            total: number;
                        };
                        /** Format: uuid */
                        runId: string;
                        status: string;
                    };
                };
            };
        };
    };
    OnboardingController_tenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CleanupController_progress: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CleanupController_start: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TenantOperatorsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TenantOperatorsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    label?: string;
                    operatorObjectId: string;
                    operatorTenantId: string;
                    /** @enum {string} */
                    role: "admin" | "viewer";
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TenantOperatorsController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TokensController_list: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TokensController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expiresInDays?: number;
                    name: string;
                    /** @enum {string} */
                    role: "admin" | "viewer";
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TokensController_revoke: {
        parameters: {
            query?: never;
            header?: {
                /** @description MSP operators only (signed-in users holding an operator grant): our tenant id (from GET /api/operator/tenants) to act for; the role is the grant's. No grant, a revoked grant or an unknown id: 403 operator_not_granted (the same answer for each). Not a UUID, or sent with an API token: 400. */
                "X-Tenant-Id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
