// The fault buttons: each sends `{"type":"fault","data":{kind,…}}` to the dev server.
// Faults are sent only while open: a queued fault would fire after the next reconnect.

/** Wires every `[data-fault]` button under `root`. */
export function bindFaults(root, { getSocket, log }) {
  for (const button of root.querySelectorAll('[data-fault]')) {
    button.addEventListener('click', () => {
      const socket = getSocket();
      if (socket?.status !== 'open') {
        log.add('error', `fault "${button.dataset.fault}" not sent: connect first`);
        return;
      }
      const data = { kind: button.dataset.fault };
      // Parameters live next to their button, in the same `.fault` group.
      const group = button.closest('.fault');
      for (const input of group ? group.querySelectorAll('[data-param]') : []) {
        data[input.dataset.param] = input.type === 'number' ? Number(input.value) : input.value;
      }
      socket.sendJson('fault', data);
      log.add('out', JSON.stringify({ type: 'fault', data }), 'fault');
    });
  }
}
