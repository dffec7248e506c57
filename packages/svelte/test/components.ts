// The components the render tests compile: one in Svelte 5 runes syntax, one in Svelte 4
// syntax (`export let`, `$:`), both reading the same stores through `$store`.

/** Svelte 5 (runes): socket status, retry countdown data and every message of a stream. */
export const RUNES_APP = `
<script>
  import { untrack } from 'svelte';
  import { socketStore, subscriptionStore } from '@lifeline/svelte';
  import Legacy from 'virtual:Legacy.svelte';

  let { url, stream } = $props();
  const chat = socketStore(url, { reconnect: { initialDelay: 300, maxDelay: 300, jitter: 'none' } });
  let lines = $state([]);
  const room = subscriptionStore(chat, stream, (data) => lines.push(data.text));
  // What the page showed over time (untracked writes: the effects depend on the store only).
  let history = $state([]);
  let retries = $state([]);
  $effect(() => {
    const status = $chat.status;
    untrack(() => history.push(status));
  });
  $effect(() => {
    const retry = $chat.retry;
    if (retry) untrack(() => retries.push(retry.attempt + '/' + retry.delay));
  });
</script>

<p id="status">{$chat.status}</p>
<p id="attempt">{$chat.retry?.attempt ?? 0}</p>
<p id="retries">{retries.join(' ')}</p>
<p id="room">{$room.status}</p>
<p id="seq">{$room.position?.seq ?? ''}</p>
<ul id="lines">{#each lines as line}<li>{line}</li>{/each}</ul>
<p id="history">{history.join(' ')}</p>
<Legacy store={chat} />
`;

/** Svelte 4 syntax, compiled by Svelte 5 in legacy mode. */
export const LEGACY_COMPONENT = `
<script>
  import { messageStore } from '@lifeline/svelte';
  export let store;
  const notice = messageStore(store, 'notice');
  $: shout = ($notice?.text ?? '').toUpperCase();
</script>

<p id="legacy-status">{$store.status}</p>
<p id="notice">{shout}</p>
`;
