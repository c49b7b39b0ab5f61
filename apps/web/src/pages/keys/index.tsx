import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { createApiKeyRoleValues } from '../../api/schema';
import { ErrorNote } from '../../components/ui';
import { ADMINS, formatDateTime, mayAct, useRole } from '../explorer/shared';
import './keys.css';

type Created = Schemas['CreatedApiKeyView'];

/** The lifetimes offered (days; '' for none): the API takes 1 to 730. */
const LIFETIMES = ['30', '90', '365', '730', ''] as const;
const DEFAULT_LIFETIME = '90';
/** Least power first: the form starts on the role that can do the least. */
const ROLES = [
  'viewer',
  'developer',
  'triager',
  'admin',
] as const satisfies readonly (typeof createApiKeyRoleValues)[number][];

/** Admins see every API key with its last use, create, revoke and rotate them; a new key is shown once. */
export default function KeysPage() {
  const { t, i18n } = useTranslation('keys');
  const id = useId();
  const role = useRole();
  const client = useQueryClient();
  const [shown, setShown] = useState<Created | null>(null);
  // Where the focus goes once the shown key is put away: back to making another.
  const nameField = useRef<HTMLInputElement>(null);
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => data(apiClient.GET('/api/v1/api-keys')),
    enabled: mayAct(role, ADMINS),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['api-keys'] });
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      data(apiClient.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: keyId } } })),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: (keyId: string) =>
      data(apiClient.POST('/api/v1/api-keys/{id}/rotate', { params: { path: { id: keyId } } })),
    onSuccess: (created) => {
      setShown(created);
      void refresh();
    },
  });
  if (!mayAct(role, ADMINS)) return <p className="note">{t('adminsOnly')}</p>;
  const failure = keys.error ?? revoke.error ?? rotate.error;
  return (
    <section className="keys" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      {shown && (
        <ShownKey
          key={shown.apiKey.id}
          created={shown}
          onDone={() => {
            setShown(null);
            nameField.current?.focus();
          }}
        />
      )}
      <CreateKey
        nameField={nameField}
        onCreated={(created) => {
          setShown(created);
          void refresh();
        }}
      />
      <h2 id={`${id}-list`}>{t('list')}</h2>
      {failure && <ErrorNote error={failure} />}
      {keys.isPending && <p role="status">{t('loading')}</p>}
      {keys.isSuccess && keys.data.length === 0 && <p className="subtle">{t('none')}</p>}
      {keys.isSuccess && keys.data.length > 0 && (
        <div className="table-wrap">
          <table className="simple-table keys-table" aria-labelledby={`${id}-list`}>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('prefix')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('lastUsed')}</th>
                <th scope="col">{t('expires')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  {/* A name an admin gave: not the UI's words, not translated. */}
                  <th scope="row" translate="no" id={`${id}-${key.id}`}>
                    {key.name}
                  </th>
                  <td data-label={t('prefix')}>
                    <code>lb_{key.prefix}_…</code>
                  </td>
                  <td data-label={t('role')}>{t(`common:role.${key.role}`, { defaultValue: key.role })}</td>
                  <td data-label={t('lastUsed')}>
                    {key.lastUsedAt ? formatDateTime(key.lastUsedAt, i18n.language) : t('never')}
                  </td>
                  <td data-label={t('expires')}>
                    {key.expiresAt ? formatDateTime(key.expiresAt, i18n.language) : t('noExpiry')}
                  </td>
                  <td data-label={t('status')}>{t(`statuses.${key.status}`)}</td>
                  <td className="keys-actions">
                    {key.status !== 'revoked' && (
                      <>
                        <button
                          type="button"
                          className="button-small"
                          id={`${id}-rotate-${key.id}`}
                          // "Rotate" and the key's name: which key, for those who hear one button alone.
                          aria-labelledby={`${id}-rotate-${key.id} ${id}-${key.id}`}
                          onClick={() => rotate.mutate(key.id)}
                          disabled={rotate.isPending}
                        >
                          {t('rotate')}
                        </button>
                        <button
                          type="button"
                          className="button-small button-danger"
                          id={`${id}-revoke-${key.id}`}
                          // "Rotate" and the key's name: which key, for those who hear one button alone.
                          aria-labelledby={`${id}-revoke-${key.id} ${id}-${key.id}`}
                          onClick={() => revoke.mutate(key.id)}
                          disabled={revoke.isPending}
                        >
                          {t('revoke')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The form that makes a key: a name, a role (what the key may do), a lifetime. */
function CreateKey({
  nameField,
  onCreated,
}: {
  nameField: RefObject<HTMLInputElement | null>;
  onCreated: (created: Created) => void;
}) {
  const { t } = useTranslation('keys');
  const id = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('viewer');
  const [lifetime, setLifetime] = useState<string>(DEFAULT_LIFETIME);
  const create = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/api-keys', {
          body: {
            name: name.trim(),
            role,
            ...(lifetime === '' ? {} : { expiresInDays: Number(lifetime) }),
          },
        }),
      ),
    onSuccess: (created) => {
      setName('');
      onCreated(created);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="panel keys-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('create.title')}</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('create.name')}</label>
        <input
          id={`${id}-name`}
          ref={nameField}
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          maxLength={80}
          autoComplete="off"
          aria-describedby={`${id}-name-hint`}
        />
        <small id={`${id}-name-hint`} className="subtle">
          {t('create.nameHint')}
        </small>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('create.role')}</label>
        <select
          id={`${id}-role`}
          value={role}
          onChange={(event) => setRole(event.target.value as (typeof ROLES)[number])}
          aria-describedby={`${id}-role-hint`}
        >
          {ROLES.map((one) => (
            <option key={one} value={one}>
              {t(`common:role.${one}`)}
            </option>
          ))}
        </select>
        <small id={`${id}-role-hint`} className="subtle">
          {t(`create.roleHints.${role}`)}
        </small>
      </div>
      <div className="field">
        <label htmlFor={`${id}-lifetime`}>{t('create.lifetime')}</label>
        <select id={`${id}-lifetime`} value={lifetime} onChange={(event) => setLifetime(event.target.value)}>
          {LIFETIMES.map((days) => (
            <option key={days} value={days}>
              {days === '' ? t('create.forever') : t('create.days', { count: Number(days) })}
            </option>
          ))}
        </select>
      </div>
      {create.isError && <ErrorNote error={create.error} />}
      <div>
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {create.isPending ? t('create.creating') : t('create.submit')}
        </button>
      </div>
    </form>
  );
}

/**
 * A key just made (or rotated), shown this once. The focus goes to it, selected, so that Ctrl+C
 * copies it at once; the copy button is the next stop, and "Done" hides it for good.
 */
function ShownKey({ created, onDone }: { created: Created; onDone: () => void }) {
  const { t } = useTranslation('keys');
  const id = useId();
  const secret = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  // One per key (keyed by it): a rotated key gets a fresh panel, focused again.
  useEffect(() => {
    secret.current?.focus();
    secret.current?.select();
  }, [created.apiKey.id]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      // No clipboard (permission refused, insecure origin): the key stays selected to copy by hand.
      setCopied('failed');
      secret.current?.focus();
      secret.current?.select();
    }
  };
  return (
    <section className="panel keys-shown" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t('shown.title')} <span translate="no">{created.apiKey.name}</span>
      </h2>
      <p id={`${id}-hint`}>{t('shown.once')}</p>
      <div className="field">
        <label htmlFor={`${id}-secret`}>{t('shown.label')}</label>
        <div className="keys-secret">
          <input
            id={`${id}-secret`}
            ref={secret}
            readOnly
            value={created.key}
            aria-describedby={`${id}-hint`}
            spellCheck={false}
            autoComplete="off"
            translate="no"
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" onClick={() => void copy()}>
            {t('shown.copy')}
          </button>
        </div>
      </div>
      <p role="status" className="subtle">
        {copied === 'yes' ? t('shown.copied') : copied === 'failed' ? t('shown.copyFailed') : ''}
      </p>
      <button type="button" className="button-quiet" onClick={onDone}>
        {t('shown.done')}
      </button>
    </section>
  );
}
