import { exportRedirectsCsv } from '@/lib/redirects/queries';
import { csvDownload } from '../../csv-download';

export const dynamic = 'force-dynamic';

/** Admins: every redirect as a CSV download, the file the redirects page imports back. */
export function GET(): Promise<Response> {
  return csvDownload(exportRedirectsCsv, { filename: 'redirects.csv', page: '/editor/redirects' });
}
