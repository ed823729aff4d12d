import type { Metadata } from 'next';
import { NewPostButton } from '@/components/editor/new-post-button';
import { createPostAction } from './actions';

export const metadata: Metadata = { title: 'New post' };

/** Without JavaScript, or from a bookmark: one button that creates the draft and opens it. */
export default function NewPostPage() {
  return (
    <section className="editor-narrow">
      <h1 className="editor-title">New post</h1>
      <p>A new post starts as an empty draft that only you and the editors can see. It is saved as you type.</p>
      <NewPostButton action={createPostAction} label="Start a new post" />
    </section>
  );
}
