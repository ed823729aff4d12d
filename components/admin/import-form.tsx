'use client';

import { useState } from 'react';
import type { ImportProgress, ImportReport } from '@/lib/import/report';
import { ImportReportView } from './import-report';

type Step =
  | { name: 'choose' }
  | { name: 'busy'; label: string; progress: ImportProgress | null }
  | { name: 'checked'; id: string; report: ImportReport }
  | { name: 'done'; report: ImportReport };

const PHASES: Record<ImportProgress['phase'], string> = { reading: 'Reading the export', images: 'Fetching images', writing: 'Writing' };

/** Reads the JSON lines of a running import: progress as it goes, then the report or an error. */
async function follow(response: Response, onProgress: (progress: ImportProgress) => void): Promise<ImportReport> {
  if (!response.body) throw new Error('No answer from the server.');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += value;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = JSON.parse(buffer.slice(0, newline)) as { progress?: ImportProgress; report?: ImportReport; error?: string };
      buffer = buffer.slice(newline + 1);
      if (line.error) throw new Error(line.error);
      if (line.report) return line.report;
      if (line.progress) onProgress(line.progress);
      newline = buffer.indexOf('\n');
    }
    if (done) throw new Error('The import stopped before it finished. Nothing was changed.');
  }
}

/** Upload → dry run (its report) → Import (progress, then the report as it happened). */
export function ImportForm({ maxBytes }: { maxBytes: number }) {
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [options, setOptions] = useState({ media: true, siteUrl: '' });

  async function run(id: string, dryRun: boolean): Promise<ImportReport> {
    const label = dryRun ? 'Checking the export (dry run)…' : 'Importing…';
    setStep({ name: 'busy', label, progress: null });
    const response = await fetch(`/api/import/${id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ dryRun, media: options.media, siteUrl: options.siteUrl }),
    });
    if (!response.ok && !response.headers.get('content-type')?.includes('ndjson')) {
      const body = (await response.json().catch(() => null)) as { error?: string } | null;
      throw new Error(body?.error ?? `The server answered ${response.status}.`);
    }
    return follow(response, (progress) => setStep({ name: 'busy', label, progress }));
  }

  async function check(form: FormData) {
    setError(null);
    const file = form.get('file');
    const from = String(form.get('from') ?? '');
    if (!(file instanceof File) || file.size === 0) return setError('Choose an export file.');
    if (file.size > maxBytes) return setError(`The file is larger than ${maxBytes / 1024 / 1024} MB: use npm run content:import.`);
    try {
      setStep({ name: 'busy', label: 'Uploading…', progress: null });
      const params = new URLSearchParams({ from, name: file.name });
      const response = await fetch(`/api/import?${params}`, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
      const staged = (await response.json().catch(() => ({ ok: false, error: `The server answered ${response.status}.` }))) as {
        ok: boolean;
        id?: string;
        error?: string;
      };
      if (!staged.ok || !staged.id) throw new Error(staged.error ?? 'The upload failed.');
      const report = await run(staged.id, true);
      setStep({ name: 'checked', id: staged.id, report });
    } catch (cause) {
      setError((cause as Error).message);
      setStep({ name: 'choose' });
    }
  }

  async function commit(id: string) {
    setError(null);
    try {
      setStep({ name: 'done', report: await run(id, false) });
    } catch (cause) {
      setError((cause as Error).message);
      setStep({ name: 'choose' });
    }
  }

  return (
    <section className="admin-section import-flow">
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      {step.name === 'choose' ? (
        <form action={check} className="panel">
          <fieldset className="field">
            <legend>The export comes from</legend>
            <label>
              <input type="radio" name="from" value="wordpress" defaultChecked /> WordPress (.xml)
            </label>{' '}
            <label>
              <input type="radio" name="from" value="ghost" /> Ghost (.json)
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="import-file">Export file</label>
            <input id="import-file" name="file" type="file" accept=".xml,.json,application/xml,text/xml,application/json" required />
          </div>
          <div className="field">
            <label>
              <input type="checkbox" checked={options.media} onChange={(event) => setOptions({ ...options, media: event.target.checked })} /> Copy the old
              site&apos;s images here
            </label>
            <p className="hint">Unchecked, images keep pointing at the old site.</p>
          </div>
          <div className="field">
            <label htmlFor="import-site-url">Old site address (optional)</label>
            <input
              id="import-site-url"
              type="url"
              placeholder="https://old.example.com"
              value={options.siteUrl}
              onChange={(event) => setOptions({ ...options, siteUrl: event.target.value })}
            />
            <p className="hint">Ghost exports do not say where the site was; give it so its images can be copied.</p>
          </div>
          <button type="submit" className="button-primary">
            Upload and check
          </button>
        </form>
      ) : null}
      {step.name === 'busy' ? (
        <div className="panel" role="status" aria-live="polite">
          <p>{step.label}</p>
          {step.progress ? (
            <>
              <progress max={step.progress.total || 1} value={step.progress.done} aria-label={PHASES[step.progress.phase]} />
              <p className="hint">
                {PHASES[step.progress.phase]}: {step.progress.done} of {step.progress.total}
              </p>
            </>
          ) : (
            <progress aria-label="Working" />
          )}
        </div>
      ) : null}
      {step.name === 'checked' ? (
        <>
          <ImportReportView report={step.report} />
          <div className="row-actions">
            <button type="button" className="button-primary" onClick={() => commit(step.id)}>
              Import
            </button>
            <button type="button" onClick={() => setStep({ name: 'choose' })}>
              Start over
            </button>
          </div>
        </>
      ) : null}
      {step.name === 'done' ? (
        <>
          <ImportReportView report={step.report} />
          <button type="button" onClick={() => setStep({ name: 'choose' })}>
            Import another export
          </button>
        </>
      ) : null}
    </section>
  );
}
