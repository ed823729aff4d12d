import { formatTally, type ImportReport } from '@/lib/import/report';

const ROWS = ['posts', 'pages', 'users', 'tags', 'media', 'redirects', 'navigation'] as const;
const LABELS: Record<(typeof ROWS)[number], string> = {
  posts: 'Posts',
  pages: 'Pages',
  users: 'Authors',
  tags: 'Tags',
  media: 'Images',
  redirects: 'Old addresses',
  navigation: 'Menu items',
};

/** An import's report: totals, then every post with a problem, images left remote, other problems. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const troubled = report.entries.filter((entry) => entry.problems.length > 0);
  return (
    <section className="panel import-report" aria-label={report.dryRun ? 'Dry run report' : 'Import report'}>
      <h2>{report.dryRun ? 'Dry run: nothing has changed yet' : 'Imported'}</h2>
      <p>
        {report.source === 'wordpress' ? 'WordPress' : 'Ghost'} export{report.siteUrl ? ` of ${report.siteUrl}` : ''}, read in{' '}
        {(report.durationMs / 1000).toFixed(1)} s.
      </p>
      <table className="editor-table">
        <tbody>
          {ROWS.map((row) => (
            <tr key={row}>
              <th scope="row">{LABELS[row]}</th>
              <td>{formatTally(report.totals[row], report.dryRun)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Comments</th>
            <td>{report.totals.comments} in the export, not imported</td>
          </tr>
        </tbody>
      </table>
      {troubled.length > 0 ? (
        <>
          <h3>Problems in {troubled.length} post(s) and page(s)</h3>
          <ul className="import-problems">
            {troubled.map((entry) => (
              <li key={`${entry.kind}-${entry.sourceId}`}>
                <strong>{entry.title}</strong> ({entry.kind}, {entry.status}
                {entry.path ? `, ${entry.path}` : ''})
                <ul>
                  {entry.problems.map((problem, index) => (
                    <li key={index}>{problem}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.remoteImages.length > 0 ? (
        <>
          <h3>Images left at their old address ({report.remoteImages.length})</h3>
          <ul className="import-problems">
            {report.remoteImages.map((image) => (
              <li key={image.url}>
                <span className="mono">{image.url}</span>: {image.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.problems.length > 0 ? (
        <>
          <h3>Other problems</h3>
          <ul className="import-problems">
            {report.problems.map((problem, index) => (
              <li key={index}>{problem}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
