import { ActionIcon, Button, Group, type ButtonProps } from '@mantine/core';

/**
 * A table row's "Edit" button and × delete icon, side by side at the row's end; `what` names the
 * row for screen readers ("Edit event Team lunch", "Delete event Team lunch").
 */
export function EditDeleteActions({
  what,
  size,
  onEdit,
  onDelete,
}: {
  what: string;
  size: ButtonProps['size'];
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      <Button variant="subtle" size={size} aria-label={`Edit ${what}`} onClick={onEdit}>
        Edit
      </Button>
      <ActionIcon variant="subtle" color="red" aria-label={`Delete ${what}`} onClick={onDelete}>
        ×
      </ActionIcon>
    </Group>
  );
}
