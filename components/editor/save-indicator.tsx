import type { SaveState } from './use-post-sync';

const labels: Record<SaveState, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  dirty: 'Unsaved changes',
  offline: 'Offline: changes kept in this browser',
  conflict: 'Conflict',
};

/** Where the writer's text stands, announced politely as it changes. */
export function SaveIndicator({ state }: { state: SaveState }) {
  return (
    <p className={`save-state save-${state}`} data-testid="save-state" data-state={state} role="status">
      {labels[state]}
    </p>
  );
}
