import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Radio,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { ContactList, ListSettings } from '../api/views';
import { TableHeader } from '../components/TableHeader';
import { DIRECTORY_DEFAULT_MAPPING, MAPPING_TARGETS, POLICY_FIELDS } from './contact-fields';
import { listKey, listsKey } from './queries';
import { REGION_CODES } from './region-codes';

type Policy = 'write' | 'overwrite' | 'clear';
const POLICY_LABELS: Record<Policy, string> = {
  clear: 'Mirror the source (empty in the source clears it)',
  overwrite: 'Overwrite with the source’s value (empty leaves it)',
  write: 'Fill only when empty (the user’s value stays)',
};
const POLICY_DATA = (Object.keys(POLICY_LABELS) as Policy[]).map((p) => ({
  value: p,
  label: POLICY_LABELS[p],
}));

interface Folder {
  mode?: 'default' | 'dedicated';
  name?: string;
  category?: string;
}
interface PolicySettings {
  defaultFieldPolicy?: Policy;
  fieldPolicies?: Record<string, Policy>;
  keepUserEdits?: boolean;
}
interface MappingRow {
  target: string;
  paths: string;
}

function mappingRows(settings: ListSettings): MappingRow[] | null {
  const dir = settings.sources?.find((s) => s.kind === 'directory');
  const mapping = dir?.mapping as { fields?: Record<string, string | string[]> } | undefined;
  if (!mapping?.fields) return null;
  return Object.entries(mapping.fields).map(([target, p]) => ({
    target,
    paths: typeof p === 'string' ? p : p.join(', '),
  }));
}

function regionName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Everything of a list besides its name and directory filter: which sources feed it, where the
 * contacts go (the default Contacts folder or one of their own), photos, the phone region,
 * per-field policies and the directory's field mapping. One PATCH saves all; the API's
 * problems are shown next to their field.
 */
export function ListOptionsForm({ list, readOnly }: { list: ContactList; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const s = list.settings;
  const kinds = new Set((s.sources ?? []).map((x) => x.kind));
  const [manual, setManual] = useState(kinds.has('manual'));
  const [orgContacts, setOrgContacts] = useState(kinds.has('org-contact'));
  const folder0 = (s.folder ?? {}) as Folder;
  const [folderMode, setFolderMode] = useState<'default' | 'dedicated'>(folder0.mode ?? 'default');
  const [folderName, setFolderName] = useState(folder0.name ?? '');
  const [category, setCategory] = useState(folder0.category ?? '');
  const [photos, setPhotos] = useState(s.photos === true);
  const [region, setRegion] = useState<string | null>(
    (list as ContactList & { defaultRegion?: string }).defaultRegion ?? null,
  );
  const policy0 = (s.policy ?? {}) as PolicySettings;
  const [defaultPolicy, setDefaultPolicy] = useState<Policy>(policy0.defaultFieldPolicy ?? 'clear');
  const [fieldPolicies, setFieldPolicies] = useState<Array<{ field: string; policy: Policy }>>(
    Object.entries(policy0.fieldPolicies ?? {}).map(([field, policy]) => ({ field, policy })),
  );
  const [keepUserEdits, setKeepUserEdits] = useState(policy0.keepUserEdits === true);
  const [recreateDeleted, setRecreateDeleted] = useState(s.recreateDeleted !== false);
  const [neverDelete, setNeverDelete] = useState(s.neverDelete === true);
  const [shared, setShared] = useState(s.includeSharedMailboxes === true);
  const [mapping, setMapping] = useState<MappingRow[] | null>(() => mappingRows(s));
  const regions = useMemo(
    () =>
      REGION_CODES.map((c) => ({ value: c, label: `${regionName(c)} (${c})` })).sort((a, b) =>
        a.label.localeCompare(b.label),
      ),
    [],
  );
  const directoryIndex = (s.sources ?? []).findIndex((x) => x.kind === 'directory');

  const save = useMutation({
    mutationFn: () => {
      let sources = (s.sources ?? []).filter(
        (x) => x.kind !== 'manual' && x.kind !== 'org-contact',
      );
      if (orgContacts) sources.push({ id: 'org-contacts', kind: 'org-contact' });
      if (manual) sources.push({ id: 'manual', kind: 'manual' });
      sources = sources.map((x) => {
        if (x.kind !== 'directory') return x;
        const { mapping: _m, ...rest } = x;
        if (!mapping) return rest;
        const fields = Object.fromEntries(
          mapping
            .filter((r) => r.target)
            .map((r) => {
              const paths = r.paths
                .split(',')
                .map((p) => p.trim())
                .filter(Boolean);
              return [r.target, paths.length === 1 ? paths[0] : paths];
            }),
        );
        const keyPath =
          (x.mapping as { keyPath?: string } | undefined)?.keyPath ??
          DIRECTORY_DEFAULT_MAPPING.keyPath;
        return { ...rest, mapping: { keyPath, fields } };
      });
      const folder: Folder =
        folderMode === 'dedicated'
          ? { mode: 'dedicated', ...(folderName.trim() ? { name: folderName.trim() } : {}) }
          : { mode: 'default', ...(category.trim() ? { category: category.trim() } : {}) };
      const settings: ListSettings = {
        ...s,
        sources,
        folder,
        photos,
        recreateDeleted,
        neverDelete,
        includeSharedMailboxes: shared,
        policy: {
          ...(s.policy as object | undefined),
          defaultFieldPolicy: defaultPolicy,
          keepUserEdits,
          fieldPolicies: Object.fromEntries(
            fieldPolicies.filter((p) => p.field).map((p) => [p.field, p.policy]),
          ),
        },
      };
      return unwrap<ContactList>(
        api.PATCH('/api/lists/{id}', {
          params: { path: { id: list.id } },
          body: { settings, ...(region ? { defaultRegion: region } : {}) },
        }),
      );
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(listKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: listsKey });
    },
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const mappingError =
    directoryIndex >= 0
      ? error?.fieldError(`settings.sources.${directoryIndex}.mapping`)
      : undefined;
  const shownFields = ['settings.folder', 'settings.policy', 'defaultRegion', 'settings.photos'];
  const otherError =
    save.error &&
    !mappingError &&
    !(error?.problems ?? []).some((p) => shownFields.some((f) => p.field.startsWith(f)))
      ? error?.problems.map((p) => `${p.field}: ${p.message}`).join('; ') ||
        (save.error as Error).message
      : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="List options">
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="md">
          <Fieldset legend="More sources" variant="unstyled">
            <Stack gap="xs">
              <Checkbox
                label="Manual and CSV entries (below)"
                checked={manual}
                onChange={(e) => setManual(e.currentTarget.checked)}
              />
              <Checkbox
                label="Organization contacts of the directory (mail contacts)"
                checked={orgContacts}
                onChange={(e) => setOrgContacts(e.currentTarget.checked)}
              />
            </Stack>
          </Fieldset>

          <Radio.Group
            label="Where the contacts go in each mailbox"
            value={folderMode}
            onChange={(v) => setFolderMode(v === 'dedicated' ? 'dedicated' : 'default')}
            error={error?.fieldError('settings.folder.mode')}
          >
            <Stack gap="xs" mt={4}>
              <Radio
                value="default"
                label="The default Contacts folder"
                description="What phones sync; our contacts carry a category"
              />
              <Radio
                value="dedicated"
                label="A folder of their own"
                description="Tidy in Outlook, but most phones do not sync other folders"
              />
            </Stack>
          </Radio.Group>
          {folderMode === 'dedicated' ? (
            <TextInput
              label="Folder name"
              value={folderName}
              onChange={(e) => setFolderName(e.currentTarget.value)}
              error={error?.fieldError('settings.folder.name')}
              withAsterisk
            />
          ) : (
            <TextInput
              label="Category"
              description="Empty: the list’s name"
              value={category}
              onChange={(e) => setCategory(e.currentTarget.value)}
              error={error?.fieldError('settings.folder.category')}
            />
          )}

          <Select
            label="Phone region"
            description="Country for phone numbers written without +, e.g. 020 7946 0958"
            data={regions}
            value={region}
            onChange={setRegion}
            searchable
            nothingFoundMessage="No country of that name"
            error={error?.fieldError('defaultRegion')}
            readOnly={readOnly}
          />
          <Switch
            label="Contact photos"
            description="Copy each person’s directory photo (one more request per changed contact)"
            checked={photos}
            onChange={(e) => setPhotos(e.currentTarget.checked)}
          />

          <Fieldset legend="When a mailbox’s copy differs" variant="unstyled">
            <Stack gap="xs">
              <Select
                label="Every field"
                data={POLICY_DATA}
                value={defaultPolicy}
                onChange={(v) => v && setDefaultPolicy(v as Policy)}
                allowDeselect={false}
                error={error?.fieldError('settings.policy.defaultFieldPolicy')}
                readOnly={readOnly}
              />
              {fieldPolicies.length > 0 && (
                <Table.ScrollContainer minWidth={0}>
                  <Table aria-label="Per-field policies">
                    <TableHeader columns={['Field', 'Policy']} actions />
                    <Table.Tbody>
                      {fieldPolicies.map((fp, i) => (
                        <Table.Tr key={i}>
                          <Table.Td>
                            <Select
                              aria-label={`Field of policy ${i + 1}`}
                              data={POLICY_FIELDS.map((f) => ({ value: f, label: f }))}
                              value={fp.field || null}
                              onChange={(v) =>
                                setFieldPolicies((old) =>
                                  old.map((o, j) => (j === i ? { ...o, field: v ?? '' } : o)),
                                )
                              }
                              searchable
                              error={error?.fieldError(`settings.policy.fieldPolicies.${fp.field}`)}
                              readOnly={readOnly}
                            />
                          </Table.Td>
                          <Table.Td>
                            <Select
                              aria-label={`Policy for ${fp.field || `field ${i + 1}`}`}
                              data={(Object.keys(POLICY_LABELS) as Policy[]).map((p) => ({
                                value: p,
                                label: p,
                              }))}
                              value={fp.policy}
                              onChange={(v) =>
                                v &&
                                setFieldPolicies((old) =>
                                  old.map((o, j) => (j === i ? { ...o, policy: v as Policy } : o)),
                                )
                              }
                              allowDeselect={false}
                              readOnly={readOnly}
                            />
                          </Table.Td>
                          <Table.Td>
                            {!readOnly && (
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={`Remove the policy for ${fp.field || `field ${i + 1}`}`}
                                onClick={() =>
                                  setFieldPolicies((old) => old.filter((_, j) => j !== i))
                                }
                              >
                                ×
                              </ActionIcon>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
              {!readOnly && (
                <Group>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() =>
                      setFieldPolicies((old) => [...old, { field: '', policy: 'write' }])
                    }
                  >
                    Add a policy for one field
                  </Button>
                </Group>
              )}
              <Switch
                label="Keep users’ own edits"
                description="A field a user changed in their mailbox is not set back"
                checked={keepUserEdits}
                onChange={(e) => setKeepUserEdits(e.currentTarget.checked)}
              />
              <Switch
                label="Re-create contacts a user deleted"
                checked={recreateDeleted}
                onChange={(e) => setRecreateDeleted(e.currentTarget.checked)}
              />
              <Switch
                label="Never delete contacts"
                description="People who leave the list stay in the mailboxes"
                checked={neverDelete}
                onChange={(e) => setNeverDelete(e.currentTarget.checked)}
              />
              <Switch
                label="Shared mailboxes receive the list too"
                checked={shared}
                onChange={(e) => setShared(e.currentTarget.checked)}
              />
            </Stack>
          </Fieldset>

          {directoryIndex >= 0 && (
            <Fieldset legend="Field mapping (directory)" variant="unstyled">
              <Stack gap="xs">
                {!mapping ? (
                  <Group justify="space-between" wrap="wrap">
                    <Text size="sm" c="dimmed">
                      The standard mapping: names, company, department, job title, office, e-mail,
                      phones and business address from Entra ID.
                    </Text>
                    {!readOnly && (
                      <Button
                        variant="subtle"
                        size="compact-sm"
                        onClick={() =>
                          setMapping(
                            Object.entries(DIRECTORY_DEFAULT_MAPPING.fields).map(([target, p]) => ({
                              target,
                              paths: typeof p === 'string' ? p : p.join(', '),
                            })),
                          )
                        }
                      >
                        Customize the mapping
                      </Button>
                    )}
                  </Group>
                ) : (
                  <>
                    <Text size="sm" c="dimmed">
                      Directory attribute paths, e.g.
                      onPremisesExtensionAttributes.extensionAttribute1; several (comma separated)
                      are read in order.
                    </Text>
                    <Table.ScrollContainer minWidth={0}>
                      <Table aria-label="Field mapping">
                        <TableHeader columns={['Contact field', 'From']} actions />
                        <Table.Tbody>
                          {mapping.map((row, i) => (
                            <Table.Tr key={i}>
                              <Table.Td>
                                <Select
                                  aria-label={`Contact field ${i + 1}`}
                                  data={MAPPING_TARGETS.map((t) => ({ value: t, label: t }))}
                                  value={row.target || null}
                                  onChange={(v) =>
                                    setMapping((old) =>
                                      old!.map((o, j) => (j === i ? { ...o, target: v ?? '' } : o)),
                                    )
                                  }
                                  searchable
                                  readOnly={readOnly}
                                />
                              </Table.Td>
                              <Table.Td>
                                <TextInput
                                  aria-label={`Source of ${row.target || `field ${i + 1}`}`}
                                  value={row.paths}
                                  onChange={(e) => {
                                    const v = e.currentTarget.value;
                                    setMapping((old) =>
                                      old!.map((o, j) => (j === i ? { ...o, paths: v } : o)),
                                    );
                                  }}
                                  error={error?.fieldError(
                                    `settings.sources.${directoryIndex}.mapping.fields.${row.target}`,
                                  )}
                                />
                              </Table.Td>
                              <Table.Td>
                                {!readOnly && (
                                  <ActionIcon
                                    variant="subtle"
                                    color="red"
                                    aria-label={`Remove mapping of ${row.target || `field ${i + 1}`}`}
                                    onClick={() =>
                                      setMapping((old) => old!.filter((_, j) => j !== i))
                                    }
                                  >
                                    ×
                                  </ActionIcon>
                                )}
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                    {!readOnly && (
                      <Group>
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          onClick={() =>
                            setMapping((old) => [...(old ?? []), { target: '', paths: '' }])
                          }
                        >
                          Map another field
                        </Button>
                        <Button variant="subtle" size="compact-sm" onClick={() => setMapping(null)}>
                          Back to the standard mapping
                        </Button>
                      </Group>
                    )}
                    {mappingError && (
                      <Text size="sm" c="red" role="alert">
                        {mappingError}
                      </Text>
                    )}
                  </>
                )}
              </Stack>
            </Fieldset>
          )}

          {otherError && (
            <Alert color="red" role="alert" title="Not saved">
              {otherError}
            </Alert>
          )}
          {save.isSuccess && !save.isPending && (
            <Text size="sm" role="status">
              Options saved. The next run applies them.
            </Text>
          )}
          {!readOnly && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save options
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}
