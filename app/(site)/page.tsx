import { Home } from './home';

// Served from the page cache; a change to what readers see expires it (lib/cache). The hour is
// only a safety net for an invalidation that never arrived.
export const revalidate = 3600;

/** Home, first page. Older pages (`/?after=`) are rewritten to ./older (next.config.js). */
export default function HomePage() {
  return <Home after={null} />;
}
