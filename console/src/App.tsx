import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { useEffect, useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { ApprovalsPage } from './approvals/ApprovalsPage';
import { SessionProvider, useSession } from './auth/SessionProvider';
import { SignInPage } from './auth/SignInPage';
import { ViewerProvider } from './auth/ViewerProvider';
import { EventPage } from './events/EventPage';
import { EventsPage } from './events/EventsPage';
import { ExecutionsPage } from './executions/ExecutionsPage';
import { prefetchPage } from './run/prefetch';
import { RunPage } from './run/RunPage';
import { SchedulesPage } from './schedules/SchedulesPage';
import { Layout } from './ui/Layout';
import { WorkflowPage } from './workflow/WorkflowPage';
import { WorkflowsPage } from './workflows/WorkflowsPage';

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

/** The editor (CodeMirror) is a chunk of its own, loaded when it is opened. */
const editorPage = async () => ({ Component: (await import('./editor/EditorPage')).EditorPage });

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <Navigate to="/executions" replace /> },
          { path: 'executions', element: <ExecutionsPage /> },
          { path: 'executions/:id', element: <RunPage /> },
          { path: 'events', element: <EventsPage /> },
          { path: 'approvals', element: <ApprovalsPage /> },
          { path: 'schedules', element: <SchedulesPage /> },
          { path: 'events/:id', element: <EventPage /> },
          { path: 'workflows', element: <WorkflowsPage /> },
          { path: 'workflows/new', lazy: editorPage },
          { path: 'workflows/:name', element: <WorkflowPage /> },
          { path: 'workflows/:name/edit', lazy: editorPage },
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
