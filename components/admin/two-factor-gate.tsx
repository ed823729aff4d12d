'use client';

import { redirect, usePathname } from 'next/navigation';

export const TWO_FACTOR_SETUP_PATH = '/editor/account';

/**
 * Always in the editor's tree (so switching it on or off does not remount the page). When `active`,
 * for someone the site requires to set up two-factor sign-in: every editor page but their account
 * page redirects there (a layout cannot see the path; this courtesy can). The layer refuses them
 * everything else anyway (lib/auth/viewer.ts requireViewer).
 */
export function TwoFactorGate({ active, children }: { active: boolean; children: React.ReactNode }) {
  const pathname = usePathname();
  if (active && pathname !== TWO_FACTOR_SETUP_PATH) redirect(`${TWO_FACTOR_SETUP_PATH}?two-factor=required`);
  return <>{children}</>;
}
