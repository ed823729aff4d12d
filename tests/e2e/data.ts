/** What the end-to-end specs expect to find: the sample article and the fixtures in tests/fixtures/e2e/. */

export const sample = {
  slug: 'when-deepseek-hit-the-news-i-couldnt-ignore-these-worries',
  path: '/posts/when-deepseek-hit-the-news-i-couldnt-ignore-these-worries',
  title: "When DeepSeek Hit the News, I Couldn't Ignore These Worries",
  subtitle: 'The rise of DeepSeek challenges AI development assumptions while raising security concerns',
  description:
    "DeepSeek's unexpected rise to prominence has disrupted the AI industry by achieving remarkable results at a fraction of traditional costs. While this democratization of AI technology opens new possibilities, it also raises serious concerns about security, ethics, and regulation. This analysis explores the implications of DeepSeek's emergence and what it means for the future of AI development.",
  author: 'David Jenkins',
  authorPath: '/authors/david-jenkins',
  isoDate: '2024-01-25T00:00:00.000Z',
  displayDate: 'January 25, 2024',
  readingTime: '8 min read',
  heroImage: 'https://images.magick.ai/general/ai-landscape-abstract-blue.jpg',
  heroImageAlt: 'Abstract blue landscape of light and data',
  cta: 'Want to stay ahead of the latest developments in AI? Follow us on LinkedIn for expert analysis and insights into groundbreaking technologies like DeepSeek.',
  tags: [
    { name: 'AI', path: '/tags/ai' },
    { name: 'Security', path: '/tags/security' },
    { name: 'Open Source', path: '/tags/open-source' },
  ],
  /** From the middle of the body. */
  bodySentence:
    'Traditional AI model training often runs into hundreds of millions of dollars, yet DeepSeek managed to train their model for approximately $5.6 million.',
  /** A word of the body that search should find and highlight. */
  searchWord: 'staggering',
};

/** The 12 published filler posts, newest first (2023-01-12 … 2023-01-01). */
export const fillerTitles = Array.from({ length: 12 }, (_, i) => `Filler Post ${String(12 - i).padStart(2, '0')}`);

/** Every public post, newest first: the sample (2024) then the fillers. */
export const publicTitles = [sample.title, ...fillerTitles];

/** Posts that exist in the database but must never reach a reader. */
export const hidden = {
  word: 'Zanzibarquux',
  posts: [
    { title: 'Zanzibarquux Draft Dispatch', slug: 'zanzibarquux-draft-dispatch', why: 'draft' },
    { title: 'Zanzibarquux Scheduled Scoop', slug: 'zanzibarquux-scheduled-scoop', why: 'scheduled for 2099' },
    { title: 'Zanzibarquux Future Feature', slug: 'zanzibarquux-future-feature', why: 'published, dated 2099' },
  ],
  tagPath: '/tags/secret-tag',
  authorPath: '/authors/hidden-writer',
};

/** Text that must not appear in anything public (pages, feeds, sitemap). */
export const hiddenMarkers = [hidden.word, 'zanzibarquux', 'secret-tag', 'Secret Tag', 'hidden-writer', 'Hidden Writer'];
