/**
 * How far through the article the reader is, without JavaScript: a bar whose width is a CSS
 * scroll-driven animation (`animation-timeline: scroll()`, see .reading-progress in globals.css).
 * Hidden where the browser lacks scroll timelines and for readers who ask for reduced motion.
 */
export function ReadingProgress() {
  return <div className="reading-progress" aria-hidden="true" />;
}
