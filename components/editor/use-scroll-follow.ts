'use client';

import { useEffect, type RefObject } from 'react';

/**
 * The split view's preview follows the text: the share of the text scrolled past is the share of
 * the preview scrolled past (by proportion: a rendered image or table is taller than its markdown,
 * but both ends always meet). One way only, so the two never chase each other.
 */
export function useScrollFollow(source: HTMLElement | null, target: RefObject<HTMLElement | null>, active: boolean) {
  useEffect(() => {
    if (!source || !active) return;
    let frame = 0;
    const follow = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const preview = target.current;
        if (!preview) return;
        const range = source.scrollHeight - source.clientHeight;
        const share = range > 0 ? source.scrollTop / range : 0;
        preview.scrollTop = share * (preview.scrollHeight - preview.clientHeight);
      });
    };
    source.addEventListener('scroll', follow, { passive: true });
    follow();
    return () => {
      source.removeEventListener('scroll', follow);
      cancelAnimationFrame(frame);
    };
  }, [source, target, active]);
}
