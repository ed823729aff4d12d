/**
 * Words the corpus is written with. Real English words, so PostgreSQL's English text search stems
 * and ranks them as it would real articles, and `/search?q=` with words from here finds something.
 */

export const FUNCTION_WORDS = [
  'the', 'a', 'of', 'and', 'to', 'in', 'is', 'that', 'for', 'it', 'as', 'with', 'was', 'on', 'be', 'by',
  'this', 'are', 'from', 'or', 'at', 'but', 'not', 'have', 'an', 'they', 'which', 'one', 'you', 'were',
  'all', 'we', 'when', 'there', 'can', 'more', 'their', 'if', 'would', 'about', 'so', 'what', 'into', 'than',
] as const;

export const NOUNS = [
  'system', 'network', 'market', 'policy', 'language', 'city', 'river', 'engine', 'library', 'garden',
  'budget', 'theory', 'signal', 'harvest', 'journey', 'archive', 'protocol', 'kitchen', 'council', 'museum',
  'climate', 'vaccine', 'satellite', 'election', 'database', 'compiler', 'forest', 'bridge', 'harbor', 'school',
  'teacher', 'doctor', 'farmer', 'startup', 'economy', 'culture', 'festival', 'orchestra', 'painting', 'novel',
  'camera', 'battery', 'reactor', 'telescope', 'planet', 'ocean', 'glacier', 'desert', 'island', 'mountain',
  'village', 'highway', 'railway', 'airport', 'hospital', 'court', 'parliament', 'treaty', 'border', 'currency',
  'algorithm', 'cache', 'server', 'browser', 'keyboard', 'interface', 'pipeline', 'kernel', 'cluster', 'sensor',
  'recipe', 'coffee', 'bread', 'wine', 'cheese', 'spice', 'market', 'neighbourhood', 'community', 'family',
  'memory', 'habit', 'silence', 'question', 'answer', 'argument', 'evidence', 'experiment', 'pattern', 'model',
  'strategy', 'season', 'winter', 'summer', 'morning', 'evening', 'window', 'letter', 'journal', 'map',
  'ledger', 'factory', 'workshop', 'studio', 'stadium', 'theatre', 'canal', 'lighthouse', 'vineyard', 'quarry',
] as const;

export const VERBS = [
  'changes', 'shapes', 'builds', 'breaks', 'explains', 'reveals', 'follows', 'measures', 'connects', 'replaces',
  'protects', 'improves', 'challenges', 'reflects', 'supports', 'drives', 'limits', 'creates', 'tests', 'shows',
  'remembers', 'predicts', 'borrows', 'rewrites', 'survives', 'collects', 'balances', 'invites', 'resists', 'carries',
] as const;

export const ADJECTIVES = [
  'quiet', 'rapid', 'hidden', 'ancient', 'modern', 'fragile', 'durable', 'curious', 'distant', 'local',
  'digital', 'rural', 'urban', 'coastal', 'northern', 'southern', 'careful', 'bold', 'simple', 'complex',
  'honest', 'strange', 'familiar', 'public', 'private', 'open', 'slow', 'bright', 'forgotten', 'unexpected',
  'sustainable', 'reliable', 'expensive', 'cheap', 'small', 'enormous', 'early', 'late', 'hopeful', 'uncertain',
] as const;

export const ADVERBS = ['quietly', 'rarely', 'often', 'slowly', 'suddenly', 'carefully', 'finally', 'still', 'perhaps', 'always'] as const;

export const FIRST_NAMES = [
  'Ada', 'Bruno', 'Chidi', 'Dana', 'Elif', 'Farah', 'Gustavo', 'Hana', 'Ivan', 'Jia', 'Kofi', 'Lena',
  'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sami', 'Tomasz', 'Uma', 'Viktor', 'Wen', 'Yara',
] as const;

export const LAST_NAMES = [
  'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Haddad', 'Kowalski', 'Fernandes', 'Nguyen', 'Brennan', 'Castillo',
  'Petrov', 'Achebe', 'Sorensen', 'Iyer', 'Delgado', 'Novak', 'Ishikawa', 'Mensah', 'Varga', 'Whitfield',
] as const;

/** Code blocks: real snippets in languages the highlighter knows, so the stored HTML carries its spans. */
export const CODE_SAMPLES: readonly { lang: string; code: string }[] = [
  {
    lang: 'ts',
    code: `export async function fetchAll<T>(urls: string[]): Promise<T[]> {\n  const responses = await Promise.all(urls.map((url) => fetch(url)));\n  return Promise.all(responses.map((r) => r.json() as Promise<T>));\n}`,
  },
  {
    lang: 'python',
    code: `def moving_average(values, window=7):\n    total = sum(values[:window])\n    yield total / window\n    for old, new in zip(values, values[window:]):\n        total += new - old\n        yield total / window`,
  },
  {
    lang: 'bash',
    code: `#!/usr/bin/env bash\nset -euo pipefail\nfor file in data/*.csv; do\n  wc -l "$file"\ndone | sort -n | tail -5`,
  },
  {
    lang: 'sql',
    code: `select author_id, count(*) as posts, max(publish_at) as latest\n  from posts\n where status = 'published'\n group by author_id\n order by posts desc\n limit 10;`,
  },
  {
    lang: 'go',
    code: `func worker(id int, jobs <-chan int, results chan<- int) {\n\tfor j := range jobs {\n\t\tresults <- j * 2\n\t}\n}`,
  },
  {
    lang: 'rust',
    code: `fn parse_line(line: &str) -> Option<(String, u32)> {\n    let (name, count) = line.split_once(',')?;\n    Some((name.trim().to_string(), count.trim().parse().ok()?))\n}`,
  },
  {
    lang: 'json',
    code: `{\n  "name": "station-42",\n  "readings": [12.4, 12.9, 13.1],\n  "calibrated": true\n}`,
  },
];

/** Words a reader might search for: content words that occur in the corpus, plus a few that never do. */
export const SEARCH_WORDS: readonly string[] = [
  ...NOUNS,
  ...ADJECTIVES,
  'harbour lighthouse',
  'database cache',
  'climate policy',
  'zeitgeist',
  'quasar',
];
