import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { MeDocument, type Permission, type ViewerFieldsFragment } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';

const ViewerContext = createContext<ViewerFieldsFragment | null>(null);

/** Asks the API who is signed in (`me`) and what they may do; the console offers only that. */
export function ViewerProvider({ children }: { children: ReactNode }) {
  const [{ data, error, fetching }] = useQuery({ query: MeDocument.toString() });
  if (data?.me) return <ViewerContext.Provider value={data.me}>{children}</ViewerContext.Provider>;
  if (error) return <ErrorNotice error={error} />;
  return <p className="muted">{fetching ? 'Signing in…' : ''}</p>;
}

export function useViewer(): ViewerFieldsFragment {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside ViewerProvider');
  return viewer;
}

export function useCan(permission: Permission): boolean {
  return useViewer().permissions.includes(permission);
}
