import { MutationObserver } from '@tanstack/react-query';
import { createQueryClient } from './query-client';
import { queryKeys } from './query-keys';

describe('createQueryClient', () => {
  it('asks the bell again after any change succeeds, and not after one fails', async () => {
    const client = createQueryClient();
    client.setQueryData(queryKeys.notificationsUnread, { unread: 1 });
    const stale = () => client.getQueryState(queryKeys.notificationsUnread)?.isInvalidated;
    expect(stale()).toBe(false);

    await expect(new MutationObserver(client, { mutationFn: () => Promise.reject(new Error('refused')) }).mutate()).rejects.toThrow('refused');
    expect(stale()).toBe(false);

    await new MutationObserver(client, { mutationFn: () => Promise.resolve('decided') }).mutate();
    expect(stale()).toBe(true);
    client.clear();
  });
});
