import { Link, Navigate, useNavigate } from 'react-router-dom';
import { AuthCard } from '@/components/auth-card';
import { RegisterForm } from '@/features/auth/components/register-form';
import { useAuth } from '@/lib/auth/auth-context';

export default function RegisterPage() {
  const { isSignedIn } = useAuth();
  const navigate = useNavigate();
  if (isSignedIn) return <Navigate to="/projects" replace />;
  return (
    <AuthCard title="Create an account" footer={<>Have an account? <Link to="/login">Sign in</Link></>}>
      <RegisterForm onSuccess={() => navigate('/projects', { replace: true })} />
    </AuthCard>
  );
}
