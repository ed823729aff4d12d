/** Sentences, titles and names made from the vocabulary: cheap to produce, plausible to read. */
import type { Rng } from '../prng';
import { ADJECTIVES, ADVERBS, FUNCTION_WORDS, NOUNS, VERBS } from './vocabulary';

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A sentence of 8–22 words with the rhythm of prose: function words between the content words. */
export function sentence(rng: Rng): string {
  const length = rng.int(8, 22);
  const words: string[] = [];
  while (words.length < length) {
    const r = rng.next();
    if (r < 0.4) words.push(rng.pick(FUNCTION_WORDS));
    else if (r < 0.7) words.push(rng.pick(NOUNS));
    else if (r < 0.85) words.push(rng.pick(VERBS));
    else if (r < 0.97) words.push(rng.pick(ADJECTIVES));
    else words.push(rng.pick(ADVERBS));
  }
  if (rng.chance(0.15)) words.splice(rng.int(3, words.length - 2), 0, `${rng.pick(NOUNS)},`);
  return `${capitalise(words.join(' '))}${rng.chance(0.1) ? '?' : '.'}`;
}

export function paragraph(rng: Rng, sentences = rng.int(3, 7)): string {
  return Array.from({ length: sentences }, () => sentence(rng)).join(' ');
}

/** A headline: "The Quiet Harbor", "How Networks Change the Village", "Why Budgets Still Matter". */
export function title(rng: Rng): string {
  const noun = () => capitalise(rng.pick(NOUNS));
  const adjective = () => capitalise(rng.pick(ADJECTIVES));
  const shapes: (() => string)[] = [
    () => `The ${adjective()} ${noun()}`,
    () => `How the ${noun()} ${capitalise(rng.pick(VERBS))} the ${noun()}`,
    () => `Why ${adjective()} ${noun()}s Still Matter`,
    () => `${noun()}, ${noun()} and the ${adjective()} ${noun()}`,
    () => `Notes on a ${adjective()} ${noun()}`,
    () => `What the ${noun()} Taught Us About ${noun()}s`,
    () => `Inside the ${adjective()} ${noun()} of ${noun()}`,
  ];
  return rng.pick(shapes)();
}
