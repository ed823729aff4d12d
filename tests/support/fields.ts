/** A post's editable fields, all empty: spread and override what a test needs. */
export { emptyPostFields as emptyFields } from '../../lib/posts/schemas';
