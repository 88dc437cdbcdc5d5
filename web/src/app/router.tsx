import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Loading as Spinner } from '@/components/loading';
import { useAuth } from '@/lib/auth/auth-context';
import { AppLayout } from './layout';

const LoginPage = lazy(() => import('./routes/login'));
const RegisterPage = lazy(() => import('./routes/register'));
const ProjectsPage = lazy(() => import('./routes/projects'));
const ProjectSettingsPage = lazy(() => import('./routes/project-settings'));
const TicketsPage = lazy(() => import('./routes/tickets'));
const BoardPage = lazy(() => import('./routes/board'));
const TicketPage = lazy(() => import('./routes/ticket'));
const ChatPage = lazy(() => import('./routes/chat'));
const TemplatesRoute = lazy(() => import('./routes/templates'));
const ProfileRoute = lazy(() => import('./routes/profile'));
const SessionsPage = lazy(() => import('./routes/sessions'));

function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spinner label="Loading" />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { isSignedIn } = useAuth();
  const location = useLocation();
  if (!isSignedIn) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            <Route index element={<Navigate to="/projects" replace />} />
            <Route path="/projects" element={<ProjectsPage />} />
            <Route path="/projects/:projectId/settings" element={<ProjectSettingsPage />} />
            <Route path="/tickets" element={<TicketsPage />} />
            <Route path="/tickets/:key" element={<TicketPage />} />
            <Route path="/board" element={<BoardPage />} />
            <Route path="/chat" element={<ChatPage />} />
            <Route path="/chat/:projectId" element={<ChatPage />} />
            <Route path="/chat/:projectId/:roomId" element={<ChatPage />} />
            <Route path="/templates" element={<TemplatesRoute />} />
            <Route path="/profile" element={<ProfileRoute />} />
            <Route path="/account/sessions" element={<SessionsPage />} />
            <Route path="*" element={<Navigate to="/projects" replace />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
