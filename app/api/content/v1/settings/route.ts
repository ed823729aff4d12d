import { settingsEndpoint } from '@/lib/content-api/endpoints';

// Content API: the site's public settings (lib/content-api).
export const dynamic = 'force-dynamic';
export const GET = settingsEndpoint.GET;
export const OPTIONS = settingsEndpoint.OPTIONS;
