import { createBrowserRouter } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { Account } from './routes/Account.tsx';
import { Assistant } from './routes/Assistant.tsx';
import { Favorites } from './routes/Favorites.tsx';
import { Login } from './routes/Login.tsx';
import { NotFound } from './routes/NotFound.tsx';
import { Orders } from './routes/Orders.tsx';
import { ProductPage } from './routes/ProductPage.tsx';
import { Register } from './routes/Register.tsx';
import { Shop } from './routes/Shop.tsx';

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Shop /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'favorites', element: <Favorites /> },
      { path: 'orders', element: <Orders /> },
      { path: 'account', element: <Account /> },
      { path: 'assistant', element: <Assistant /> },
      { path: 'login', element: <Login /> },
      { path: 'register', element: <Register /> },
      // Lazy: the admin console and its charts never load for shoppers.
      { path: 'admin/*', lazy: () => import('./routes/admin/index.tsx') },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
