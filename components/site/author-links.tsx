import Link from 'next/link';
import { Fragment } from 'react';

/** Every author of a post, in byline order, each a link to their page: "Ann", "Ann and Bo", "Ann, Bo and Cy". */
export function AuthorLinks({ authors, rel }: { authors: { name: string; slug: string }[]; rel?: 'author' }) {
  return (
    <>
      {authors.map((author, index) => (
        <Fragment key={author.slug}>
          {index === 0 ? null : index === authors.length - 1 ? ' and ' : ', '}
          <Link href={`/authors/${author.slug}`} rel={rel}>
            {author.name}
          </Link>
        </Fragment>
      ))}
    </>
  );
}
