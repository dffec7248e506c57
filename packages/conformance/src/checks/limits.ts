// Frame size: a frame over the server's limit closes the connection with 1009 ("message too
// big"), so clients know not to resend it. The limit is the server's choice, so the checker
// must be told it (`maxPayload`); without it the check is reported as not tested.
import type { Check } from '../check';
import { expect } from '../failure';

export const limitChecks: Check[] = [
  {
    id: 'limits.oversize',
    title: "a frame over the server's max payload closes the connection with 1009",
    required: true,
    async run(context) {
      const { maxPayload } = context.options;
      if (maxPayload === undefined) {
        return { skip: "not tested: the server's limit is unknown (pass --max-payload <bytes>)" };
      }
      const peer = await context.connect();
      // A valid request, padded to one byte over the limit: only its size is wrong.
      const head = `{"type":"conformance.echo","id":"${context.id()}","data":"`;
      const padding = Math.max(0, maxPayload + 1 - head.length - 2);
      peer.send(`${head}${'x'.repeat(padding)}"}`);
      const { code } = await peer.waitForClose(`the close after a ${maxPayload + 1}-byte frame`);
      expect(code === 1009, `expected close code 1009, got ${code}`);
      return undefined;
    },
  },
];
