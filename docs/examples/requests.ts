import { LifelineError, Socket } from '@lifeline/core';

const socket = new Socket('wss://api.example.com/live');
declare function showToast(text: string): void;

// #region request
const controller = new AbortController();
try {
  const order = await socket.request(
    'placeOrder',
    { sku: 'tea', quantity: 2 },
    { timeout: 5000, signal: controller.signal },
  );
  console.log('order placed', order);
} catch (error) {
  if (!(error instanceof LifelineError)) throw error;
  switch (error.code) {
    case 'ERR_REMOTE': // the server answered with an error reply
      showToast(`Rejected: ${error.message} (${error.remote?.code ?? 'no code'})`);
      break;
    case 'ERR_TIMEOUT': // no reply in time; the server may still have done it
    case 'ERR_ABORTED': // controller.abort() was called
    case 'ERR_CLOSED': // socket.close() or dispose() while waiting
      showToast('Order status unknown, check your orders.');
      break;
    default:
      throw error;
  }
}
// #endregion request
