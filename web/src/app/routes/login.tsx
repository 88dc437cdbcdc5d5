import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert } from 'antd';
import { tokens } from '@/lib/api-client';
import { AuthCard } from '@/components/auth-card';
import { LoginForm } from '@/features/auth/components/login-form';
import { useAuth } from '@/lib/auth/auth-context';

export default function LoginPage() {
  const { isSignedIn } = useAuth();
  const navigate = useNavigate();
  const state = useLocation().state as { from?: string; notice?: string } | null;
  const from = state?.from ?? '/projects';
  if (isSignedIn) return <Navigate to={from} replace />;
  // Said once, on the page the app lands on when the server ended the session.
  const notice =
    state?.notice ??
    (tokens.endReason === 'session_ended' ? 'Your session has ended: you were signed out, here or on another device. Sign in again to go on.' : null);
  return (
    <AuthCard title="Sign in" footer={<>No account? <Link to="/register">Create one</Link></>}>
      {notice && <Alert type="info" showIcon role="status" title={notice} style={{ marginBottom: 16 }} />}
      <LoginForm onSuccess={() => navigate(from, { replace: true })} />
    </AuthCard>
  );
}
