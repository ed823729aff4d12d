import type { Metadata } from 'next';
import { adminOnly } from '@/components/admin/guard';
import { ImportForm } from '@/components/admin/import-form';
import { MAX_IMPORT_BYTES } from '@/lib/import/limits';
import { requireCapability } from '@/lib/users/admin-queries';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Import' };

/** Admins: bring a WordPress or Ghost site in — upload, a dry run's report, then the import. */
export default async function ImportPage() {
  await adminOnly(requireCapability('importContent'), '/editor/import');
  return (
    <div className="editor-narrow">
      <h1 className="editor-title">Import</h1>
      <p>
        Bring a WordPress or Ghost site in: its posts, pages, authors, tags, images and menus, with a redirect from every old address. Nothing changes until you have
        read the dry run&apos;s report and chosen Import; importing the same export again changes nothing.
      </p>
      <ImportForm maxBytes={MAX_IMPORT_BYTES} />
      <p className="hint">
        WordPress: Tools → Export → All content (a WXR .xml file). Ghost: Settings → Labs → Export your content (a .json file). Larger than{' '}
        {MAX_IMPORT_BYTES / 1024 / 1024} MB? Use <code>npm run content:import -- --from wordpress FILE</code>.
      </p>
    </div>
  );
}
