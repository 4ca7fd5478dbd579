import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { CsvProblemEntry, ProductImportSummary } from '../../../../contract/catalog.ts';
import { keys as shopKeys } from '../../../api/hooks.ts';
import { ApiError, api, unwrap } from '../../../api/client.ts';
import { adminKeys } from '../../../components/admin/api.ts';
import { useNotify } from '../../../components/Notifications.tsx';

// The console's products CSV upload: the same file and rules as `npm run cartwise -- import-products`
// (name,description,category,price,stock[,image]; all or nothing). The file is the request body.

/** The raw file is the body, which the OpenAPI document cannot describe for text/csv. */
const importCsv = (file: File): Promise<ProductImportSummary> =>
  unwrap(
    api.POST('/api/admin/products/import', {
      body: file as never,
      bodySerializer: (body) => body,
      headers: { 'content-type': 'text/csv' },
    }),
  );

export function CsvImport() {
  const id = useId();
  const notify = useNotify();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [problems, setProblems] = useState<CsvProblemEntry[]>([]);
  const upload = useMutation({
    mutationFn: importCsv,
    onSuccess: (summary) => {
      setProblems([]);
      notify.success(
        `Imported ${summary.rows} rows: ${summary.created} created, ${summary.updated} updated, ${summary.categoriesCreated} new categories.`,
      );
    },
    onError: (error) => {
      const listed =
        error instanceof ApiError && Array.isArray(error.problem.problems) ? error.problem.problems : [];
      setProblems(listed as CsvProblemEntry[]);
      notify.failure(error, 'The file could not be imported.');
    },
    onSettled: () => {
      client.invalidateQueries({ queryKey: adminKeys.products });
      client.invalidateQueries({ queryKey: shopKeys.products });
      client.invalidateQueries({ queryKey: shopKeys.categories });
    },
  });

  return (
    <form
      className="csv-import"
      aria-label="Import products from CSV"
      onSubmit={(e) => {
        e.preventDefault();
        if (file) upload.mutate(file);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-file`}>Import CSV (name, description, category, price, stock, image)</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <button type="submit" className="btn" disabled={!file || upload.isPending}>
        {upload.isPending ? 'Importing…' : 'Import'}
      </button>
      {problems.length > 0 && (
        <div role="alert">
          <p>Nothing was imported. Fix these lines and upload again:</p>
          <ul className="csv-import__problems">
            {problems.slice(0, 100).map((p) => (
              <li key={`${p.line}-${p.column ?? ''}-${p.message}`}>
                Line {p.line}
                {p.column ? ` (${p.column})` : ''}: {p.message}
              </li>
            ))}
            {problems.length > 100 && <li>… and {problems.length - 100} more</li>}
          </ul>
        </div>
      )}
    </form>
  );
}
