import type { NavigationMenu } from '@/db/schema';
import { MAX_ITEMS, MAX_LABEL, type NavigationItem } from '@/lib/navigation/schemas';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

/**
 * One menu as a plain form: a row per item (label, link, move up, move down, remove) and a blank
 * row to add one. Every button submits the whole form (lib/navigation/schemas.ts reads which one),
 * so it works without JavaScript; rows are keyed by content, so a saved order re-renders in place.
 */
export function MenuForm({ menu, title, items, saveAction }: { menu: NavigationMenu; title: string; items: NavigationItem[]; saveAction: FormAction<string> }) {
  const id = `menu-${menu}`;
  return (
    <section className="panel admin-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ActionForm id={id} action={saveAction} submitLabel={`Save the ${menu} menu`} className="menu-form">
        {/* First in the form: Enter in a field saves, rather than pressing a row's first button. */}
        <button type="submit" name="op" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          Save
        </button>
        <input type="hidden" name="menu" value={menu} />
        {items.length === 0 ? <p className="hint">No items yet: the menu is not shown.</p> : null}
        <ol className="menu-rows">
          {items.map((item, at) => (
            <li key={`${at}:${item.label}:${item.url}`} className="menu-row">
              <input name="label" type="text" aria-label={`Label of ${menu} item ${at + 1}`} required maxLength={MAX_LABEL} defaultValue={item.label} />
              <input name="url" type="text" aria-label={`Link of ${menu} item ${at + 1}`} required maxLength={2000} defaultValue={item.url} className="mono" />
              <span className="row-actions">
                <button type="submit" name="op" value={`up:${at}`} className="button-quiet" disabled={at === 0} aria-label={`Move ${menu} item ${at + 1} up`}>
                  ↑
                </button>
                <button
                  type="submit"
                  name="op"
                  value={`down:${at}`}
                  className="button-quiet"
                  disabled={at === items.length - 1}
                  aria-label={`Move ${menu} item ${at + 1} down`}
                >
                  ↓
                </button>
                <button type="submit" name="op" value={`remove:${at}`} className="button-danger" formNoValidate aria-label={`Remove ${menu} item ${at + 1}`}>
                  Remove
                </button>
              </span>
            </li>
          ))}
          {items.length < MAX_ITEMS ? (
            <li key={`new-${items.length}`} className="menu-row">
              <input name="label" type="text" aria-label={`Label of a new ${menu} item`} placeholder="New item" maxLength={MAX_LABEL} />
              <input name="url" type="text" aria-label={`Link of a new ${menu} item`} placeholder="/about or https://…" maxLength={2000} className="mono" />
            </li>
          ) : null}
        </ol>
      </ActionForm>
    </section>
  );
}
