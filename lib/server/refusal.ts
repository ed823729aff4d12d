/**
 * A refused server action's status (lib/actions.ts puts it in the result, right after `ok`). In the
 * flight answer the result is JSON, and text from users inside it is JSON-escaped, so this exact
 * unescaped sequence can only be the result's own keys.
 */
const REFUSAL = /"ok":false,"status":([45]\d\d)[,}]/;

export function refusalStatus(body: Buffer): number | null {
  const match = REFUSAL.exec(body.toString('utf8'));
  return match ? Number(match[1]) : null;
}
