/**
 * The oEmbed providers whose links, alone on their own line, become link cards (lib/markdown's
 * `rehypeEmbeds`). A small, fixed registry: each provider's oEmbed endpoint is public and needs no
 * API key. Pure and client-safe: matching a URL reads nothing but the URL.
 *
 * To add one: its name, the hosts and paths of its content pages, its endpoint (documented by the
 * provider), and the verb of its card's button.
 */
export type EmbedProvider = {
  /** Stable key, also the card's `data-provider`. */
  id: 'youtube' | 'vimeo' | 'soundcloud' | 'spotify' | 'codepen';
  /** Shown on the card. */
  name: string;
  /** The card's call to action: "Watch on YouTube". */
  action: 'Watch' | 'Listen' | 'View';
  /** The provider's oEmbed endpoint; `url` (and `format=json`) are added as query parameters. */
  endpoint: string;
  /** True when this URL (already parsed, http or https) is one of the provider's content pages. */
  matches: (url: URL) => boolean;
};

const host = (url: URL) => url.hostname.toLowerCase().replace(/^(?:www\.|m\.)/, '');
const VIDEO_ID = /^[\w-]{6,20}$/;

export const EMBED_PROVIDERS: readonly EmbedProvider[] = [
  {
    id: 'youtube',
    name: 'YouTube',
    action: 'Watch',
    endpoint: 'https://www.youtube.com/oembed',
    matches: (url) => {
      const h = host(url);
      if (h === 'youtu.be') return VIDEO_ID.test(url.pathname.slice(1));
      if (h !== 'youtube.com') return false;
      if (url.pathname === '/watch') return VIDEO_ID.test(url.searchParams.get('v') ?? '');
      return /^\/(?:shorts|live|embed)\/[\w-]{6,20}\/?$/.test(url.pathname);
    },
  },
  {
    id: 'vimeo',
    name: 'Vimeo',
    action: 'Watch',
    endpoint: 'https://vimeo.com/api/oembed.json',
    matches: (url) => host(url) === 'vimeo.com' && /^\/(?:channels\/[\w-]+\/)?\d{3,12}(?:\/[\da-f]{6,20})?\/?$/.test(url.pathname),
  },
  {
    id: 'soundcloud',
    name: 'SoundCloud',
    action: 'Listen',
    endpoint: 'https://soundcloud.com/oembed',
    matches: (url) => host(url) === 'soundcloud.com' && /^\/[\w-]+\/(?:sets\/)?[\w-]+\/?$/.test(url.pathname),
  },
  {
    id: 'spotify',
    name: 'Spotify',
    action: 'Listen',
    endpoint: 'https://open.spotify.com/oembed',
    matches: (url) =>
      host(url) === 'open.spotify.com' && /^\/(?:intl-[\w-]+\/)?(?:track|album|playlist|episode|show|artist)\/[A-Za-z0-9]{10,40}\/?$/.test(url.pathname),
  },
  {
    id: 'codepen',
    name: 'CodePen',
    action: 'View',
    endpoint: 'https://codepen.io/api/oembed',
    matches: (url) => host(url) === 'codepen.io' && /^\/[\w-]+\/(?:pen|full|details)\/[\w-]{3,20}\/?$/.test(url.pathname),
  },
];

/** Longest URL considered for an embed (a provider's page address is far shorter). */
export const MAX_EMBED_URL = 500;

/** The provider of an http(s) URL written alone on a line, or null (any other scheme, host or path). */
export function embedProviderFor(value: string): EmbedProvider | null {
  if (typeof value !== 'string' || value.length > MAX_EMBED_URL || !/^https?:\/\//i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password || url.port) return null;
  return EMBED_PROVIDERS.find((provider) => provider.matches(url)) ?? null;
}

/** Most embeds a save resolves (the rest render as cards without a thumbnail). */
export const MAX_EMBEDS_PER_POST = 20;

// A line that is only a URL (optionally in <angle brackets>), as an author pastes it; or a link whose
// text is its own URL (`[https://…](https://…)`), as the WordPress and Ghost imports write embeds.
const URL_LINE = /^ {0,3}<?(https?:\/\/[^\s<>]+?)>?[ \t]*$/gim;
const SELF_LINK_LINE = /^ {0,3}\[(https?:\/\/[^\s\]]+)\]\((https?:\/\/[^\s()]+)\)[ \t]*$/gim;
const unescape = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/**
 * The provider URLs written alone on a line, in order of kind then place, without repeats: the
 * candidates a save resolves. A cheap over-approximation of what the pipeline turns into cards (a
 * line inside a code block is a candidate too); the pipeline decides, and an unused resolution is
 * only a cache row.
 */
export function findEmbedUrls(markdown: string): string[] {
  const found = new Set<string>();
  const candidates = [
    ...[...markdown.matchAll(URL_LINE)].map((match) => match[1]),
    ...[...markdown.matchAll(SELF_LINK_LINE)].filter((match) => unescape(match[1]) === match[2]).map((match) => match[2]),
  ];
  for (const url of candidates) {
    if (found.size >= MAX_EMBEDS_PER_POST) break;
    if (embedProviderFor(url)) found.add(url);
  }
  return [...found];
}

/** What the pipeline knows of an embed when it renders its card; absent, the card shows the URL. */
export type EmbedCard = {
  title: string;
  /** Our copy of the thumbnail (`/media/<id>/<W>x<H>/<name>`), or null. */
  thumbnail: string | null;
};
