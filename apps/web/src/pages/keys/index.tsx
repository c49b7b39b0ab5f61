import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { ADMINS, errorMessage, formatDateTime, mayAct, useRole } from '../explorer/shared';

type Created = Schemas['CreatedApiKeyView'];

/** Admins see every API key with its last use, revoke and rotate them; a new key is shown once. */
export default function KeysPage() {
  const { t, i18n } = useTranslation('keys');
  const id = useId();
  const role = useRole();
  const client = useQueryClient();
  const [shown, setShown] = useState<Created | null>(null);
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
  if (!mayAct(role, ADMINS)) return <p>{t('adminsOnly')}</p>;
  const failure = keys.error ?? revoke.error ?? rotate.error;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      {shown && (
        <p role="status">
          {t('shownOnce', { name: shown.apiKey.name })} <code>{shown.key}</code>
        </p>
      )}
      {failure && <p role="alert">{t('error', { message: errorMessage(failure) })}</p>}
      {keys.isPending && <p role="status">{t('loading')}</p>}
      {keys.isSuccess && (
        <table>
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
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>lb_{key.prefix}_…</code>
                </td>
                <td>{key.role}</td>
                <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, i18n.language) : t('never')}</td>
                <td>{key.expiresAt ? formatDateTime(key.expiresAt, i18n.language) : t('noExpiry')}</td>
                <td>{t(`statuses.${key.status}`)}</td>
                <td>
                  {key.status !== 'revoked' && (
                    <>
                      <button type="button" onClick={() => rotate.mutate(key.id)} disabled={rotate.isPending}>
                        {t('rotate')}
                      </button>{' '}
                      <button type="button" onClick={() => revoke.mutate(key.id)} disabled={revoke.isPending}>
                        {t('revoke')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
