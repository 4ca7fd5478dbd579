import { createBrowserRouter } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { Assistant } from './routes/Assistant.tsx';
import { Favorites } from './routes/Favorites.tsx';
import { Login } from './routes/Login.tsx';
import { NotFound } from './routes/NotFound.tsx';
import { Orders } from './routes/Orders.tsx';
import { ProductPage } from './routes/ProductPage.tsx';
import { Shop } from './routes/Shop.tsx';

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Shop /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'favorites', element: <Favorites /> },
      { path: 'orders', element: <Orders /> },
      // Lazy: the account forms run the contract's zod rules, and zod stays out of the shop's bundle.
      { path: 'account', lazy: () => import('./routes/Account.tsx').then((m) => ({ Component: m.Account })) },
      { path: 'assistant', element: <Assistant /> },
      { path: 'login', element: <Login /> },
      {
        path: 'register',
        lazy: () => import('./routes/Register.tsx').then((m) => ({ Component: m.Register })),
      },
      // Lazy: the admin console and its charts never load for shoppers.
      { path: 'admin/*', lazy: () => import('./routes/admin/index.tsx') },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
