import { type FormEvent, useState } from 'react';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { isApiError } from '../../../api/client.ts';
import { useCategories } from '../../../api/hooks.ts';
import { useCreateProduct, useUpdateProduct, useUploadImage } from '../../../components/admin/api.ts';
import { Field, TextAreaField } from '../../../components/Field.tsx';
import { useNotify } from '../../../components/Notifications.tsx';
import { bodyOf, checkDraft, checkPicture, type Draft, draftOf, emptyDraft } from './draft.ts';

/** Create or edit one product: the server's 422 `errors` land on the same fields as the local checks. */
export function ProductForm({
  product: given,
  onDone,
}: {
  product: AdminProduct | null;
  onDone: () => void;
}) {
  // Set once the product exists: a picture refused after creating switches the form to editing it,
  // so a second press saves that product instead of creating another.
  const [product, setProduct] = useState(given);
  const creating = product === null;
  const [draft, setDraft] = useState<Draft>(product ? draftOf(product) : emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const { data: categories } = useCategories();
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const upload = useUploadImage();
  const notify = useNotify();
  const set = (name: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));
  const busy = create.isPending || update.isPending || upload.isPending;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local = { ...checkDraft(draft, creating), ...checkPicture(file) };
    setErrors(local);
    if (Object.keys(local).length > 0) {
      notify.notify('error', 'Check the highlighted fields.');
      return;
    }
    const body = bodyOf(draft);
    let saved: AdminProduct | undefined;
    try {
      saved = creating
        ? await create.mutateAsync({ ...body, stock: Number(draft.stock) })
        : await update.mutateAsync({ id: product.id, body });
    } catch (error) {
      if (isApiError(error, 'validation_failed')) setErrors(error.fieldErrors());
      if (isApiError(error, 'name_taken')) setErrors({ name: 'Another product already has this name.' });
      notify.failure(error, 'Could not save the product.');
      return;
    }
    if (!saved) return;
    if (file) {
      try {
        await upload.mutateAsync({ id: saved.id, file });
      } catch (error) {
        const why = error instanceof Error ? error.message : 'The image could not be uploaded.';
        setErrors({ file: why });
        if (creating) {
          setProduct(saved);
          setDraft(draftOf(saved));
          notify.notify(
            'error',
            `Created ${saved.name}, but the picture was refused: ${why} You are now editing ${saved.name}: choose another picture and save.`,
          );
        } else notify.failure(error, `Saved ${saved.name}, but the picture could not be uploaded.`);
        return;
      }
    }
    notify.success(creating ? `Created ${saved.name}.` : `Saved ${saved.name}.`);
    onDone();
  };

  return (
    <form className="panel admin-form" onSubmit={onSubmit} noValidate aria-labelledby="product-form-title">
      <h2 id="product-form-title">{creating ? 'New product' : `Edit ${product.name}`}</h2>
      <div className="form-grid">
        <Field
          name="name"
          label="Name"
          value={draft.name}
          onChange={set('name')}
          error={errors.name}
          maxLength={200}
        />
        <div className={`field${errors.categoryId ? ' field--invalid' : ''}`}>
          <label htmlFor="field-categoryId">Category</label>
          <select
            id="field-categoryId"
            value={draft.categoryId}
            onChange={set('categoryId')}
            aria-invalid={errors.categoryId ? true : undefined}
            aria-describedby={errors.categoryId ? 'field-categoryId-error' : undefined}
          >
            <option value="">Choose…</option>
            {categories?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.categoryId && (
            <p id="field-categoryId-error" className="field-error">
              {errors.categoryId}
            </p>
          )}
        </div>
        <Field
          name="priceCents"
          label="Price (USD)"
          inputMode="decimal"
          value={draft.price}
          onChange={set('price')}
          error={errors.priceCents}
        />
        {creating && (
          <Field
            name="stock"
            label="Initial stock"
            inputMode="numeric"
            value={draft.stock}
            onChange={set('stock')}
            error={errors.stock}
          />
        )}
      </div>
      <TextAreaField
        name="description"
        label="Description"
        rows={3}
        value={draft.description}
        onChange={set('description')}
        maxLength={5000}
        error={errors.description}
      />
      <Field
        name="file"
        label="Image (PNG, JPEG or WebP, up to 5 MB)"
        type="file"
        accept="image/png,image/jpeg,image/webp"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        error={errors.file}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {creating ? 'Create product' : 'Save changes'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
