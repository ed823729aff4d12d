import type { Metadata } from 'next';
import { ActionForm } from '@/components/admin/action-form';
import { adminOnly } from '@/components/admin/guard';
import { getRequireTwoFactor } from '@/lib/auth/two-factor-admin';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { MAX_POSTS_PER_PAGE, timeZoneOptions } from '@/lib/site/schemas';
import { getSiteSettings } from '@/lib/site/settings';
import { requireCapability } from '@/lib/users/admin-queries';
import { setRequireTwoFactorAction, updateSiteSettingsAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Settings' };

/** Admins: the site's title, description, default call to action, time zone and page size; two-factor sign-in for staff. */
export default async function SettingsPage() {
  await adminOnly(requireCapability('manageSettings'), '/editor/settings');
  const [site, requireTwoFactor] = await Promise.all([getSiteSettings(), adminOnly(getRequireTwoFactor(), '/editor/settings')]);
  const zones = timeZoneOptions();
  return (
    <div className="editor-narrow">
      <h1 className="editor-title">Site settings</h1>
      <ActionForm action={updateSiteSettingsAction} submitLabel="Save settings">
        <div className="field">
          <label htmlFor="settings-title">Site title</label>
          <input id="settings-title" name="title" type="text" required maxLength={120} defaultValue={site.title} />
        </div>
        <div className="field">
          <label htmlFor="settings-description">Description</label>
          <textarea id="settings-description" name="description" rows={2} maxLength={300} defaultValue={site.description} />
          <p className="hint">Shown to search engines and in feeds.</p>
        </div>
        <div className="field">
          <label htmlFor="settings-cta">Default call to action</label>
          <textarea id="settings-cta" name="defaultCta" rows={3} maxLength={MAX_TEXT} defaultValue={site.defaultCta} />
          <p className="hint">Shown under every post that has no call to action of its own. Leave empty for none.</p>
        </div>
        <div className="field">
          <label htmlFor="settings-zone">Time zone</label>
          <select id="settings-zone" name="timeZone" defaultValue={site.timeZone}>
            {(zones.includes(site.timeZone) ? zones : [site.timeZone, ...zones]).map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <p className="hint">Dates on the site and times in the editor use this zone.</p>
        </div>
        <div className="field">
          <label htmlFor="settings-per-page">Posts per page</label>
          <input id="settings-per-page" name="postsPerPage" type="number" required min={1} max={MAX_POSTS_PER_PAGE} step={1} defaultValue={site.postsPerPage} />
        </div>
      </ActionForm>
      <h2 className="editor-title">Sign-in</h2>
      <ActionForm action={setRequireTwoFactorAction} submitLabel="Save sign-in setting" id="two-factor-setting">
        <div className="field">
          <label>
            <input type="checkbox" name="requireTwoFactor" defaultChecked={requireTwoFactor} /> Require two-factor sign-in for admins and editors
          </label>
          <p className="hint">
            Admins and editors without it can then do nothing but set it up on their account page. Turn yours on first (Account), or you would lock yourself out.
          </p>
        </div>
      </ActionForm>
    </div>
  );
}
