import { countWords, readingMinutes } from '@/lib/markdown/words';

/**
 * Words and reading time of the body, counted in the browser as the writer types (the same count
 * the site's renderer makes for ordinary prose); a reading time set by hand is shown as such.
 */
export function WritingStats({ markdown, readTimeOverride }: { markdown: string; readTimeOverride: number | null }) {
  const words = countWords(markdown);
  const minutes = readTimeOverride ?? readingMinutes(words);
  return (
    <p className="writing-stats">
      <span data-testid="word-count">{`${words.toLocaleString('en')} ${words === 1 ? 'word' : 'words'}`}</span>
      <span aria-hidden="true"> · </span>
      <span data-testid="reading-time">
        {minutes} min read{readTimeOverride !== null ? ' (set by hand)' : ''}
      </span>
    </p>
  );
}
