/** Public URL of a stored product image; null when the product has none. */
export function productImageUrl(imagePath: string | null): string | null {
  if (!imagePath) return null;
  return /^(https?:)?\//.test(imagePath) ? imagePath : `/images/${imagePath}`;
}
