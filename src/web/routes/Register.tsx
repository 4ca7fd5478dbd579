import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { checkUsername, useRegister } from '../api/hooks.ts';
import type { RegisterInput } from '../api/types.ts';
import { Field } from '../components/Field.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { collect, type Errors, PROFILE_FIELDS, passwordError, usernameError } from './account-rules.ts';
import { useReturnTo } from './Login.tsx';
import { usePageTitle } from './usePageTitle.ts';

type Availability = 'idle' | 'checking' | 'available' | 'taken' | 'unknown';

const EMPTY: RegisterInput = {
  username: '',
  password: '',
  email: '',
  firstName: '',
  lastName: '',
  phone: '',
  country: '',
  city: '',
};

function validate(values: RegisterInput): Errors {
  return collect([
    ['username', usernameError(values.username)],
    ['password', passwordError(values.password, values)],
    ...PROFILE_FIELDS.map((f): [string, string] => [f.name, f.check(values[f.name])]),
  ]);
}

/** Asks the server, 300 ms after typing stops, whether a well-formed username is still free. */
function useUsernameAvailability(username: string): Availability {
  const [status, setStatus] = useState<Availability>('idle');
  useEffect(() => {
    if (usernameError(username)) {
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    setStatus('checking');
    const timer = setTimeout(() => {
      checkUsername(username, controller.signal).then(
        (available) => setStatus(available ? 'available' : 'taken'),
        () => {
          if (!controller.signal.aborted) setStatus('unknown');
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [username]);
  return status;
}

const AVAILABILITY_TEXT: Record<Availability, string> = {
  idle: '3–32 letters, digits, _ . or -',
  checking: 'Checking availability…',
  available: '✓ This username is available.',
  taken: '',
  unknown: 'Could not check availability right now.',
};

export function Register() {
  usePageTitle('Register');
  const [values, setValues] = useState<RegisterInput>(EMPTY);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const register = useRegister();
  const notify = useNotify();
  const navigate = useNavigate();
  const { target, state } = useReturnTo();
  const availability = useUsernameAvailability(values.username);

  const clientErrors = validate(values);
  if (availability === 'taken') clientErrors.username = 'That username is taken. Try another.';
  const errors: Errors = { ...clientErrors, ...serverErrors };
  const shown = (name: string) => (touched[name] ? errors[name] : undefined);

  const change = (name: keyof RegisterInput) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
    setServerErrors(({ [name]: _dropped, ...rest }) => rest);
  };
  const blur = (name: string) => () => setTouched((t) => ({ ...t, [name]: true }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(Object.fromEntries(Object.keys(EMPTY).map((k) => [k, true])));
    if (Object.keys(clientErrors).length) {
      notify.notify('error', 'Please fix the highlighted fields.');
      return;
    }
    const body = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, k === 'password' ? v : v.trim()]),
    ) as unknown as RegisterInput;
    register.mutate(body, {
      onSuccess: ({ user }) => {
        notify.success(`Welcome to Cartwise, ${user.firstName || user.username}! Your account is ready.`);
        navigate(target, { replace: true });
      },
      onError: (error) => {
        if (isApiError(error, 'username_taken'))
          setServerErrors({ username: 'That username is taken. Try another.' });
        else if (isApiError(error, 'email_taken'))
          setServerErrors({ email: 'An account with this email already exists.' });
        else if (isApiError(error, 'validation_failed') || isApiError(error, 'weak_password'))
          setServerErrors(error.fieldErrors());
        notify.failure(error, 'Registration failed.');
      },
    });
  };

  return (
    <div className="auth-page">
      <form className="panel auth-form auth-form--wide" onSubmit={onSubmit} noValidate>
        <h1>Create your account</h1>
        <div className="form-grid">
          <Field
            name="username"
            label="Username"
            autoComplete="username"
            value={values.username}
            onChange={change('username')}
            onBlur={blur('username')}
            error={shown('username') ?? (availability === 'taken' ? errors.username : undefined)}
            hint={
              <span aria-live="polite" className={availability === 'available' ? 'ok' : undefined}>
                {AVAILABILITY_TEXT[availability]}
              </span>
            }
          />
          <Field
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={change('password')}
            onBlur={blur('password')}
            error={shown('password')}
            hint="At least 8 characters."
          />
          {PROFILE_FIELDS.map((f) => (
            <Field
              key={f.name}
              name={f.name}
              label={f.label}
              type={'type' in f ? f.type : 'text'}
              autoComplete={f.autoComplete}
              value={values[f.name]}
              onChange={change(f.name)}
              onBlur={blur(f.name)}
              error={shown(f.name)}
            />
          ))}
        </div>
        <button type="submit" className="btn btn--primary btn--block" disabled={register.isPending}>
          {register.isPending ? 'Creating account…' : 'Create account'}
        </button>
        <p className="muted">
          Already have an account?{' '}
          <Link to="/login" state={state}>
            Log in
          </Link>
        </p>
      </form>
    </div>
  );
}
