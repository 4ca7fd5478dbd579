import { createBrowserRouter } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { Assistant } from './routes/Assistant.tsx';
import { Cart } from './routes/cart/Cart.tsx';
import { Checkout } from './routes/cart/Checkout.tsx';
import { Favorites } from './routes/Favorites.tsx';
import { Login } from './routes/Login.tsx';
import { NotFound } from './routes/NotFound.tsx';
import { Orders } from './routes/Orders.tsx';
import { ProductPage } from './routes/ProductPage.tsx';
import { Shop } from './routes/Shop.tsx';

export const router = createBrowserRouter([
  // Lazy, and in its own frame (no shopper header or assistant): the console and its charts never
  // load for shoppers.
  { path: 'admin/*', lazy: () => import('./routes/admin/index.tsx') },
  {
    element: <Layout />,
    children: [
      { index: true, element: <Shop /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'favorites', element: <Favorites /> },
      { path: 'cart', element: <Cart /> },
      { path: 'checkout', element: <Checkout /> },
      { path: 'orders', element: <Orders /> },
      // Lazy: the account forms run the contract's zod rules, and zod stays out of the shop's bundle.
      { path: 'account', lazy: () => import('./routes/Account.tsx').then((m) => ({ Component: m.Account })) },
      { path: 'assistant', element: <Assistant /> },
      { path: 'login', element: <Login /> },
      {
        path: 'register',
        lazy: () => import('./routes/Register.tsx').then((m) => ({ Component: m.Register })),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
