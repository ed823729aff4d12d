'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** A header link that knows when it is the current section (`aria-current="page"`). */
export function NavLink({ href, children, also = [] }: { href: string; children: React.ReactNode; also?: string[] }) {
  const pathname = usePathname();
  const current = pathname === href || (href !== '/editor' && pathname.startsWith(`${href}/`)) || also.some((p) => pathname.startsWith(p));
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
