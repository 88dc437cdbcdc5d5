import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { AuthCard } from '@/components/auth-card';
import { LoginForm } from '@/features/auth/components/login-form';
import { useAuth } from '@/lib/auth/auth-context';

export default function LoginPage() {
  const { isSignedIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/projects';
  if (isSignedIn) return <Navigate to={from} replace />;
  return (
    <AuthCard title="Sign in" footer={<>No account? <Link to="/register">Create one</Link></>}>
      <LoginForm onSuccess={() => navigate(from, { replace: true })} />
    </AuthCard>
  );
}
