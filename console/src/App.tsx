import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { useEffect, useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { AccountTokenPage } from './auth/AccountTokenPage';
import { ForgotPasswordPage } from './auth/ForgotPasswordPage';
import { SessionProvider, useSession } from './auth/SessionProvider';
import { SignInPage } from './auth/SignInPage';
import { ViewerProvider } from './auth/ViewerProvider';
import { pages } from './pages';
import { prefetchPage } from './run/prefetch';
import { Layout } from './ui/Layout';

/** Pages behind sign-in get the session's GraphQL client and the viewer; others go to /sign-in first. */
function RequireSession() {
  const { clients } = useSession();
  const location = useLocation();
  // The page first opened (by its address, or a reload) asks for its data beside `me`, not after it.
  const [opened] = useState(location.pathname);
  useEffect(() => {
    if (clients) prefetchPage(clients.client, opened);
  }, [clients, opened]);
  if (!clients) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return (
    <UrqlProvider value={clients.client}>
      <ViewerProvider>
        <Outlet />
      </ViewerProvider>
    </UrqlProvider>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no such page in the console.</p>
    </section>
  );
}

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  // Reached signed out, from an e-mail's link or the sign-in page (the paths are src/auth/users/account-links.ts's).
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/accept-invitation', element: <AccountTokenPage purpose="invitation" /> },
  { path: '/reset-password', element: <AccountTokenPage purpose="password_reset" /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/executions" replace /> },
          ...pages.map(({ path, Page }) => ({ path, element: <Page /> })),
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
