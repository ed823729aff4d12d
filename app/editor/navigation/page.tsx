import type { Metadata } from 'next';
import { adminOnly } from '@/components/admin/guard';
import { MenuForm } from '@/components/admin/menu-form';
import { getNavigationForEditing } from '@/lib/navigation/queries';
import { saveNavigationAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Navigation' };

/** Editors and admins: the reader site's two menus, primary (header) and footer. */
export default async function NavigationPage() {
  const menus = await adminOnly(getNavigationForEditing(), '/editor/navigation');
  return (
    <div className="editor-narrow">
      <h1 className="editor-title">Navigation</h1>
      <p className="hint">
        Every reader page shows the primary menu in its header and the footer menu in its footer. A link is a path on this site (<code>/about</code>,{' '}
        <code>/tags/news</code>) or an <code>http(s)://</code> address. Leave the new row empty to add nothing.
      </p>
      <MenuForm menu="primary" title="Primary menu (header)" items={menus.primary} saveAction={saveNavigationAction} />
      <MenuForm menu="footer" title="Footer menu" items={menus.footer} saveAction={saveNavigationAction} />
    </div>
  );
}
