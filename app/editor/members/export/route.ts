import { exportMembersCsv } from '@/lib/members/queries';
import { csvDownload } from '../../csv-download';

export const dynamic = 'force-dynamic';

/** Editors and admins: every member as a CSV download (email,name,consent_at,status), the file the members page imports. */
export function GET(): Promise<Response> {
  return csvDownload(exportMembersCsv, { filename: 'members.csv', page: '/editor/members' });
}
