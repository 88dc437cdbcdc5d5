import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert } from 'antd';
import { tokens } from '@/lib/api-client';
import type { EndReason } from '@/lib/auth/token-manager';
import { AuthCard } from '@/components/auth-card';
import { LoginForm } from '@/features/auth/components/login-form';
import { useAuth } from '@/lib/auth/auth-context';

// Said on the page the app lands on when a session ends, so nobody wonders why they are here.
const NOTICES: Record<EndReason, string | null> = {
  signed_out: null,
  signed_out_everywhere: 'You signed out everywhere. Every session, this one included, has ended.',
  session_ended: 'Your session has ended: you were signed out, here or on another device. Sign in again to go on.',
};

export default function LoginPage() {
  const { isSignedIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/projects';
  if (isSignedIn) return <Navigate to={from} replace />;
  const notice = NOTICES[tokens.endReason ?? 'signed_out'];
  return (
    <AuthCard title="Sign in" footer={<>No account? <Link to="/register">Create one</Link></>}>
      {notice && <Alert type="info" showIcon role="status" title={notice} style={{ marginBottom: 16 }} />}
      <LoginForm onSuccess={() => navigate(from, { replace: true })} />
    </AuthCard>
  );
}
