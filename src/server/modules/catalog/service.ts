/**
 * The catalog module's services, as other modules and the CLI use them. Each concept lives in its
 * own file; this file only gathers them so callers need not know the layout.
 */
export {
  adjustStock,
  type CatalogContext,
  createProduct,
  listAdminProducts,
  listStockAdjustments,
  type Removal,
  removeProduct,
  updateProduct,
} from './admin-products.ts';
export { MAX_IMAGE_BYTES, setProductImage, sniffImageType } from './images.ts';
export { type Paged, type ProductFilter, type ProductListOptions, toProduct } from './product-views.ts';
export {
  getProduct,
  getProductsByIds,
  listCategories,
  listShopProducts,
  searchCatalog,
  shopProductsJson,
  splitSearchTerms,
} from './shop-reads.ts';
