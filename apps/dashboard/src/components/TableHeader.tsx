import { Table, VisuallyHidden, type MantineBreakpoint } from '@mantine/core';

/** A column's name, or its name and the width from which it shows. */
export type TableColumn = string | { label: string; visibleFrom: MantineBreakpoint };

/**
 * A table's header row: the columns' names, and with `actions` a last column for each row's
 * buttons, named "Actions" for screen readers only.
 */
export function TableHeader({
  columns,
  actions = false,
}: {
  columns: TableColumn[];
  actions?: boolean;
}) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((c) =>
          typeof c === 'string' ? (
            <Table.Th key={c}>{c}</Table.Th>
          ) : (
            <Table.Th key={c.label} visibleFrom={c.visibleFrom}>
              {c.label}
            </Table.Th>
          ),
        )}
        {actions && (
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        )}
      </Table.Tr>
    </Table.Thead>
  );
}
