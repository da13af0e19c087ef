import { ListsOverview } from '../components/ListsOverview';
import { departmentsOf, useLists } from './queries';

export function ListsScreen() {
  const lists = useLists();
  return (
    <ListsOverview
      title="Contact lists"
      lists={lists}
      path="/lists"
      newLabel="New list"
      firstLabel="Create your first list"
      emptyTitle="No contact list yet"
      emptyText="A list says which contacts (your directory, a department, a group) go into which mailboxes."
      sourcesHeader="Contacts from"
      sourcesOf={(l) => {
        const departments = departmentsOf(l);
        return departments.length ? `Directory: ${departments.join(', ')}` : 'Directory';
      }}
    />
  );
}
