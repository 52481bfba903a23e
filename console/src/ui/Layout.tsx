import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/SessionProvider';
import { useViewer } from '../auth/ViewerProvider';
import { useConnectionLost } from './useConnection';

export function Layout() {
  const viewer = useViewer();
  const { signOut, clients } = useSession();
  const lost = useConnectionLost(clients?.ws);
  return (
    <div className="layout">
      <header className="topbar">
        <strong className="brand">Switchyard</strong>
        <nav aria-label="Main">
          <NavLink to="/executions">Executions</NavLink>
          <NavLink to="/workflows">Workflows</NavLink>
          <NavLink to="/events">Events</NavLink>
          <NavLink to="/schedules">Schedules</NavLink>
          {viewer.kind === 'USER' ? <NavLink to="/approvals">Approvals</NavLink> : null}
        </nav>
        {lost ? (
          <span className="connection-lost" title="Live updates resume when the connection is back">
            Connection lost: reconnecting
          </span>
        ) : null}
        <span className="viewer" title={viewer.permissions.join(', ')}>
          {viewer.name} · {viewer.tenant.name}
        </span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main className="content">
        {/* A page's chunk on its first showing (pages.ts); later navigations keep the old page until it is in. */}
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
