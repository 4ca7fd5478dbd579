import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useDeleteAccount, useMe, useSessionChange, useUpdateProfile } from '../api/hooks.ts';
import type { ProfileInput, User } from '../api/types.ts';
import { Field } from '../components/Field.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { RequireUser } from '../components/RequireUser.tsx';
import { formatDate } from '../format.ts';
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
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [submitted, setSubmitted] = useState(false);
  const update = useUpdateProfile();
  const notify = useNotify();

  const clientErrors = collect([
    ...PROFILE_FIELDS.map((f): [string, string] => [f.name, f.check(values[f.name])]),
    ['password', passwordError(password, false)],
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
    update.mutate(changes, {
      onSuccess: () => {
        setPassword('');
        setSubmitted(false);
        notify.success(changes.password ? 'Profile and password saved.' : 'Profile saved.');
      },
      onError: (error) => {
        if (isApiError(error, 'email_taken')) setServerErrors({ email: 'Another account uses this email.' });
        else if (isApiError(error, 'validation_failed')) setServerErrors(error.fieldErrors());
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
          onChange={(e) => setPassword(e.target.value)}
          hint="Leave empty to keep your current password."
        />
      </div>
      <button type="submit" className="btn btn--primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}

function DeleteAccount() {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteAccount();
  const signedOut = useSessionChange();
  const notify = useNotify();
  const navigate = useNavigate();

  const onDelete = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        // Leave the signed-in page synchronously, or it would bounce the new guest to the login form.
        navigate('/', { replace: true, flushSync: true });
        signedOut(null);
        notify.success('Your account and all its data were deleted. You are browsing as a guest.');
      },
      onError: (error) => notify.failure(error, 'Could not delete your account.'),
    });

  return (
    <section className="panel panel--danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p>This removes your profile, favorites, orders and chat history for good.</p>
      {confirming ? (
        <fieldset className="confirm">
          <legend>Are you sure? This cannot be undone.</legend>
          <button type="button" className="btn btn--danger" onClick={onDelete} disabled={remove.isPending}>
            Yes, delete my account
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
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
