import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/SessionProvider';
import { useViewer } from '../auth/ViewerProvider';

export function Layout() {
  const viewer = useViewer();
  const { signOut } = useSession();
  return (
    <div className="layout">
      <header className="topbar">
        <strong className="brand">Switchyard</strong>
        <nav aria-label="Main">
          <NavLink to="/executions">Executions</NavLink>
        </nav>
        <span className="viewer" title={viewer.permissions.join(', ')}>
          {viewer.name} · {viewer.tenant.name}
        </span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
