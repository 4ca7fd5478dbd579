import { type FormEvent, useState } from 'react';
import { Link, type Location, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useLogin } from '../api/hooks.ts';
import { Field } from '../components/Field.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { usePageTitle } from './usePageTitle.ts';

interface AuthState {
  from?: Location;
  reason?: string;
}

/** Where to go after login or register: the page the user came from, never back to an auth page. */
export function useReturnTo() {
  const state = (useLocation().state ?? {}) as AuthState;
  const from = state.from;
  const target =
    from && from.pathname !== '/login' && from.pathname !== '/register'
      ? `${from.pathname}${from.search ?? ''}`
      : '/';
  return { target, state };
}

export function Login() {
  usePageTitle('Log in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  const login = useLogin();
  const notify = useNotify();
  const navigate = useNavigate();
  const { target, state } = useReturnTo();

  const check = (u = username, p = password) => ({
    ...(u.trim() ? {} : { username: 'Enter your username.' }),
    ...(p ? {} : { password: 'Enter your password.' }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) return;
    login.mutate(
      { username: username.trim(), password },
      {
        onSuccess: ({ user }) => {
          notify.success(`Welcome back, ${user.firstName || user.username}!`);
          navigate(target, { replace: true });
        },
        onError: (error) => {
          if (isApiError(error, 'invalid_credentials')) {
            setErrors({ form: 'Wrong username or password.' });
            notify.notify('error', 'Login failed: wrong username or password.');
          } else notify.failure(error, 'Login failed.');
        },
      },
    );
  };

  return (
    <div className="auth-page">
      <form className="panel auth-form" onSubmit={onSubmit} noValidate>
        <h1>Log in</h1>
        {state.reason === 'signin' && <p className="callout">Log in to see that page.</p>}
        {errors.form && (
          <p className="callout callout--error" role="alert">
            {errors.form}
          </p>
        )}
        <Field
          name="username"
          label="Username"
          autoComplete="username"
          value={username}
          error={errors.username}
          onChange={(e) => {
            setUsername(e.target.value);
            if (touched) setErrors(check(e.target.value));
          }}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          error={errors.password}
          onChange={(e) => {
            setPassword(e.target.value);
            if (touched) setErrors(check(username, e.target.value));
          }}
        />
        <button type="submit" className="btn btn--primary btn--block" disabled={login.isPending}>
          {login.isPending ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted">
          New here?{' '}
          <Link to="/register" state={state}>
            Create an account
          </Link>
        </p>
      </form>
    </div>
  );
}
