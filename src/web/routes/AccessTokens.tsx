import { type FormEvent, useState } from 'react';
import { TOKEN_EXPIRY_DAYS, type TokenScope } from '../../contract/access-tokens.ts';
import { useAccessTokens, useCreateAccessToken, useRevokeAccessToken } from '../api/access-tokens.ts';
import { isApiError } from '../api/client.ts';
import { Field } from '../components/Field.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { formatDate } from '../format.ts';

const SCOPE_TEXT: Record<TokenScope, string> = {
  read: 'Read: browse, see the cart and orders',
  shop: 'Shop: also change the cart and check out',
};

/** Creates a token; its secret is shown once, right here, until the panel is left. */
function NewTokenForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [days, setDays] = useState<number>(30);
  const [currentPassword, setCurrentPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateAccessToken();
  const notify = useNotify();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!name.trim()) missing.name = 'Name the token, e.g. the agent that will use it.';
    if (!currentPassword) missing.currentPassword = 'Enter your current password to confirm.';
    setErrors(missing);
    if (Object.keys(missing).length) return notify.notify('error', 'Please fix the highlighted fields.');
    create.mutate(
      { name: name.trim(), scope, expiresInDays: days, currentPassword },
      {
        onSuccess: ({ secret, token }) => {
          setName('');
          setCurrentPassword('');
          onCreated(secret);
          notify.success(`Token “${token.name}” created. Copy it now: it is shown only once.`);
        },
        onError: (error) => {
          if (isApiError(error, 'current_password_required'))
            setErrors({ currentPassword: 'That is not your current password.' });
          else if (isApiError(error, 'validation_failed')) setErrors(error.fieldErrors());
          notify.failure(error, 'Could not create the token.');
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="new-token-title" className="token-form">
      <h3 id="new-token-title">New token</h3>
      <div className="form-grid">
        <Field
          name="token-name"
          label="Token name"
          value={name}
          maxLength={100}
          error={errors.name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field">
          <label htmlFor="token-scope">Scope</label>
          <select id="token-scope" value={scope} onChange={(e) => setScope(e.target.value as TokenScope)}>
            {(Object.keys(SCOPE_TEXT) as TokenScope[]).map((s) => (
              <option key={s} value={s}>
                {SCOPE_TEXT[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires after</label>
          <select id="token-expiry" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {TOKEN_EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        <Field
          name="token-current-password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          error={errors.currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="btn btn--primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}

/**
 * Personal access tokens let an outside AI agent use the shop as this user through /mcp without
 * the password; they can never change the password or e-mail or delete the account.
 */
export function AccessTokens() {
  const tokens = useAccessTokens();
  const revoke = useRevokeAccessToken();
  const notify = useNotify();
  const [secret, setSecret] = useState<string | null>(null);

  const onRevoke = (id: number, name: string) =>
    revoke.mutate(id, {
      onSuccess: () => notify.success(`Token “${name}” revoked.`),
      onError: (error) => notify.failure(error, 'Could not revoke the token.'),
    });

  return (
    <section className="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Access tokens for AI agents</h2>
      <p className="muted">
        An agent connected to this shop’s MCP endpoint (<code>/mcp</code>) acts as you with a token, never
        with your password. Tokens cannot change your password or e-mail or delete your account.
      </p>
      {secret && (
        <div className="callout" role="status">
          <p>Your new token (shown only now):</p>
          <code className="token-secret" data-testid="token-secret">
            {secret}
          </code>
        </div>
      )}
      {tokens.isError && <p className="callout callout--error">Your tokens could not be loaded.</p>}
      {tokens.data && tokens.data.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Your access tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Starts with</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <tr key={token.id} data-testid="token-row">
                  <th scope="row">{token.name}</th>
                  <td>{token.scope}</td>
                  <td>
                    <code>{token.prefix}…</code>
                  </td>
                  <td>{formatDate(token.expiresAt)}</td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : 'never'}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn--danger-outline"
                      onClick={() => onRevoke(token.id, token.name)}
                      disabled={revoke.isPending}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewTokenForm onCreated={setSecret} />
    </section>
  );
}
