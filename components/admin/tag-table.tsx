import type { TagWithCount } from '@/lib/tags/admin';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

/**
 * Tags with inline editing: each row's inputs belong to the row's form through the `form`
 * attribute, so the table stays a table and the form still works without JavaScript.
 */
export function TagTable({ tags, updateAction, deleteAction }: { tags: TagWithCount[]; updateAction: FormAction<string>; deleteAction: FormAction<string> }) {
  return (
    <div className="table-scroll">
      <table className="editor-table tag-table">
        <caption className="visually-hidden">Tags</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
            <th scope="col">Description</th>
            <th scope="col">Posts</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tags.map((tag) => {
            const form = `tag-${tag.id}`;
            return (
              <tr key={tag.id}>
                <td>
                  <input form={form} name="name" type="text" aria-label={`Name of the tag ${tag.name}`} required maxLength={60} defaultValue={tag.name} />
                </td>
                <td>
                  <input
                    form={form}
                    name="slug"
                    type="text"
                    aria-label={`Slug of the tag ${tag.name}`}
                    required
                    maxLength={120}
                    pattern="[a-z0-9]+(-[a-z0-9]+)*"
                    defaultValue={tag.slug}
                    className="mono"
                  />
                </td>
                <td>
                  <input
                    form={form}
                    name="description"
                    type="text"
                    aria-label={`Description of the tag ${tag.name}`}
                    maxLength={2000}
                    defaultValue={tag.description}
                  />
                </td>
                <td>{tag.posts}</td>
                <td>
                  <div className="row-actions">
                    <ActionForm id={form} action={updateAction} submitLabel="Save" buttonClassName="button-secondary">
                      <input type="hidden" name="id" value={tag.id} />
                    </ActionForm>
                    <ActionForm
                      action={deleteAction}
                      submitLabel="Delete"
                      pendingLabel="Deleting…"
                      buttonClassName="button-danger"
                      confirm={`Delete the tag “${tag.name}”? ${tag.posts === 1 ? 'One post loses it' : `${tag.posts} posts lose it`}.`}
                    >
                      <input type="hidden" name="id" value={tag.id} />
                    </ActionForm>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
