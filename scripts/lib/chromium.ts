/**
 * Chromium for the end-to-end tests and Lighthouse: the flags this kind of machine needs (root,
 * no network beyond the package mirrors), in one place.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
