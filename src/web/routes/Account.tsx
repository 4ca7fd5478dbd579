import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useDeleteAccount, useMe, useSessionChange, useUpdateProfile } from '../api/hooks.ts';
import type { ProfileInput, User } from '../api/types.ts';
import { Field } from '../components/Field.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { RequireUser } from '../components/RequireUser.tsx';
import { formatDate } from '../format.ts';
import { AccessTokens } from './AccessTokens.tsx';
import {
  collect,
  type Errors,
  PROFILE_FIELDS,
  type ProfileFieldName,
  passwordError,
} from './account-rules.ts';
import { usePageTitle } from './usePageTitle.ts';

function ProfileForm({ user }: { user: User }) {
  const initial = Object.fromEntries(PROFILE_FIELDS.map((f) => [f.name, user[f.name] ?? ''])) as Record<
    ProfileFieldName,
    string
  >;
  const [values, setValues] = useState(initial);
  const [password, setPassword] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [submitted, setSubmitted] = useState(false);
  const update = useUpdateProfile();
  const notify = useNotify();

  // The API wants the current password before it changes the password or the e-mail address.
  const emailChanges = values.email.trim().toLowerCase() !== user.email.toLowerCase();
  const needsCurrent = password !== '' || emailChanges;
  const clientErrors = collect([
    ...PROFILE_FIELDS.map((f): [string, string] => [f.name, f.check(values[f.name])]),
    ['password', passwordError(password, { username: user.username, email: values.email }, false)],
    ['currentPassword', needsCurrent && !currentPassword ? 'Enter your current password to confirm.' : ''],
  ]);
  const errors = { ...clientErrors, ...serverErrors };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(clientErrors).length) return notify.notify('error', 'Please fix the highlighted fields.');
    const changes: ProfileInput = {};
    for (const f of PROFILE_FIELDS) {
      const v = values[f.name].trim();
      if (v !== user[f.name]) changes[f.name] = v;
    }
    if (password) changes.password = password;
    if (Object.keys(changes).length === 0) return notify.notify('info', 'Nothing to save: no field changed.');
    if (needsCurrent) changes.currentPassword = currentPassword;
    update.mutate(changes, {
      onSuccess: () => {
        setPassword('');
        setCurrentPassword('');
        setSubmitted(false);
        notify.success(changes.password ? 'Profile and password saved.' : 'Profile saved.');
      },
      onError: (error) => {
        if (isApiError(error, 'email_taken')) setServerErrors({ email: 'Another account uses this email.' });
        else if (isApiError(error, 'current_password_required'))
          setServerErrors({ currentPassword: 'That is not your current password.' });
        else if (isApiError(error, 'validation_failed') || isApiError(error, 'weak_password'))
          setServerErrors(error.fieldErrors());
        notify.failure(error, 'Could not save your profile.');
      },
    });
  };

  return (
    <form className="panel" onSubmit={onSubmit} noValidate aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <div className="form-grid">
        <Field
          name="username"
          label="Username"
          value={user.username}
          readOnly
          hint="Usernames cannot be changed."
        />
        {PROFILE_FIELDS.map((f) => (
          <Field
            key={f.name}
            name={f.name}
            label={f.label}
            type={'type' in f ? f.type : 'text'}
            autoComplete={f.autoComplete}
            value={values[f.name]}
            error={
              submitted || serverErrors[f.name] ? errors[f.name] : values[f.name] ? undefined : errors[f.name]
            }
            onChange={(e) => {
              setValues((v) => ({ ...v, [f.name]: e.target.value }));
              setServerErrors(({ [f.name]: _dropped, ...rest }) => rest);
            }}
          />
        ))}
        <Field
          name="new-password"
          label="New password (optional)"
          type="password"
          autoComplete="new-password"
          value={password}
          error={password ? errors.password : undefined}
          onChange={(e) => {
            setPassword(e.target.value);
            setServerErrors(({ password: _dropped, ...rest }) => rest);
          }}
          hint="Leave empty to keep your current password."
        />
        {needsCurrent && (
          <Field
            name="current-password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            error={submitted || serverErrors.currentPassword ? errors.currentPassword : undefined}
            onChange={(e) => {
              setCurrentPassword(e.target.value);
              setServerErrors(({ currentPassword: _dropped, ...rest }) => rest);
            }}
            hint="Needed to change your password or e-mail address."
          />
        )}
      </div>
      <button type="submit" className="btn btn--primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}

function DeleteAccount() {
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const remove = useDeleteAccount();
  const signedOut = useSessionChange();
  const notify = useNotify();
  const navigate = useNavigate();

  const onDelete = (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setError('Enter your password to confirm.');
      return notify.notify('error', 'Enter your password to delete your account.');
    }
    remove.mutate(password, {
      onSuccess: () => {
        // Leave the signed-in page synchronously, or it would bounce the new guest to the login form.
        navigate('/', { replace: true, flushSync: true });
        signedOut(null);
        notify.success('Your account and all its data were deleted. You are browsing as a guest.');
      },
      onError: (failure) => {
        if (isApiError(failure, 'current_password_required')) setError('That is not your password.');
        notify.failure(failure, 'Could not delete your account.');
      },
    });
  };

  return (
    <section className="panel panel--danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p>This removes your profile, favorites, orders and chat history for good.</p>
      {confirming ? (
        <form onSubmit={onDelete} noValidate>
          <fieldset className="confirm">
            <legend>Are you sure? This cannot be undone.</legend>
            <Field
              name="delete-password"
              label="Your password"
              type="password"
              autoComplete="current-password"
              value={password}
              error={error}
              onChange={(e) => {
                setPassword(e.target.value);
                setError(undefined);
              }}
            />
            <button type="submit" className="btn btn--danger" disabled={remove.isPending}>
              Yes, delete my account
            </button>
            <button type="button" className="btn btn--ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </fieldset>
        </form>
      ) : (
        <button type="button" className="btn btn--danger-outline" onClick={() => setConfirming(true)}>
          Delete account…
        </button>
      )}
    </section>
  );
}

function AccountPage() {
  const { data: user } = useMe();
  if (!user) return null;
  return (
    <>
      <div className="page-head">
        <h1>Your account</h1>
        <span className="muted">Member since {formatDate(user.createdAt)}</span>
      </div>
      {user.role === 'admin' && (
        <p className="callout">
          You are an administrator. <Link to="/admin">Open the admin console</Link>.
        </p>
      )}
      <ProfileForm key={user.id} user={user} />
      <AccessTokens />
      <DeleteAccount />
    </>
  );
}

export function Account() {
  usePageTitle('Account');
  return (
    <RequireUser>
      <AccountPage />
    </RequireUser>
  );
}
