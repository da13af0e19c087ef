/** Why the app asks for each Microsoft Graph application permission (shown before consent). */
export const PERMISSION_REASONS: Record<string, string> = {
  'User.Read.All':
    'Read the people of your directory (names, phones, departments) that contact lists are built from.',
  'GroupMember.Read.All': 'Find the members of the groups you choose as sources or recipients.',
  'OrgContact.Read.All': 'Include your organization’s external contacts in lists when you ask.',
  'Contacts.ReadWrite':
    'Write the shared contacts into each targeted mailbox; only contacts this app created are ever changed.',
  'Calendars.ReadWrite':
    'Write shared calendar events (holidays, company events) when you use calendars.',
  'MailboxSettings.Read': 'Read each mailbox’s time zone and language so items fit each person.',
};
