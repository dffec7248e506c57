// The stream tables of the report (issue 14): a stream message's cost against a plain
// `onMessage` route, replay throughput in Chromium, and server fan-out against socket.io.
import type { BenchResults } from '../results';
import { fmt, fmtRatio } from '../stats';
import { table } from './table';

/** `### title` + table (+ a short method note) for each stream measurement that ran. */
export function streamSections(results: BenchResults): [string, string][] {
  const { config } = results;
  const sections: [string, string][] = [];
  const cost = results.streamCost ?? [];
  if (cost.length > 0) {
    sections.push([
      `Stream message vs \`onMessage\` route (${fmt(config.perMessage)} messages, fake transport)`,
      `${table(
        ['route', ' ns / message', ' × onMessage', ' samples (ns)'],
        cost.map((row) => [
          row.lib,
          fmt(row.nsPerMessage, 1),
          fmtRatio(row.ratio),
          row.samples.map((s) => fmt(s)).join(' '),
        ]),
      )}

A \`Socket\` over the fake transport of the receive rows, timed the same way, each route in a
page of its own, in interleaved rounds. \`onMessage route\`: \`{"type":"t","data":…}\` to a
\`socket.onMessage('t')\` handler. \`stream message\`: after a subscribe answered through the fake
transport, \`{"type":"t","stream":"s","epoch":"e","seq":"N","data":…}\` with N = 1, 2, 3, … to the
subscription's handler. The same 64 B \`data\`; every frame a distinct string. \`hand-written\`:
the same frames, without Lifeline, to one handler that \`JSON.parse\`s each and checks its type
(and a stream frame's name, epoch and next seq), so those two rows differ only in the frame.`,
    ]);
  }
  const replay = results.replay ?? [];
  if (replay.length > 0) {
    sections.push([
      `Replay: ${fmt(replay[0]!.messages)} missed stream messages delivered after a reconnect (Chromium)`,
      `${table(
        ['client', ' msgs/s', ' open → last (ms)', ' × hand-written', ' samples (msgs/s)'],
        replay.map((row) => [
          row.lib,
          fmt(row.messagesPerSecond),
          fmt(row.ms, 1),
          fmtRatio(row.ratio),
          row.samples.map((s) => fmt(s)).join(' '),
        ]),
      )}

A \`@lifeline/server\` on 127.0.0.1 (memory store holding every message). The client subscribes,
goes down (\`close()\`), the server publishes ${fmt(replay[0]!.messages)} messages to the stream,
the client reconnects (\`connect()\`) and resubscribes from its position; the page times from
\`open\` to the last message handed to the app, and checks it got all of them, in order, no gap,
resync or duplicate. \`lifeline\` is \`socket.subscribe\` (in the page script bundled from the
production build, as in every suite); \`native (hand-written)\` is a bare \`WebSocket\` sending the same subscribe with \`since\`
and parsing every frame. A fresh stream per sample.`,
    ]);
  }
  const fanout = results.fanout ?? [];
  if (fanout.length > 0) {
    const [first] = fanout;
    sections.push([
      `Server fan-out: ${fmt(first!.messages)} messages to ${fmt(first!.clients)} Node clients`,
      `${table(
        [
          'server',
          ' msgs/s',
          ' deliveries/s',
          ' × socket.io',
          ' server CPU',
          ' clients CPU',
          ' samples (msgs/s)',
        ],
        fanout.map((row) => [
          row.server,
          fmt(row.messagesPerSecond),
          fmt(row.deliveriesPerSecond),
          fmtRatio(row.ratio),
          `${fmt(row.serverCpuPercent)} %`,
          `${fmt(row.clientCpuPercent)} %`,
          row.samples.map((s) => fmt(s)).join(' '),
        ]),
      )}

Each server runs in the benchmark's Node process; its ${fmt(first!.clients)} clients run in a
child process of its own (both fleets connected throughout, one publishing at a time), so the
server has a core to itself while its clients work on the other. A sample publishes every
message at once (\`await publish(stream, 'tick', data)\` in a loop; socket.io:
\`io.to(room).emit('tick', data)\`, WebSocket transport only, heartbeats off on both), the same \`data\`
(\`{"text":"x"×40}\`), and ends when the last client has the last message: msgs/s counts each
message once, deliveries/s once per client. Lifeline's clients are raw \`ws\` sockets that
subscribe, then parse every frame and count the stream's; socket.io's are \`socket.io-client\`
4.8 sockets that joined the room and count \`tick\` events. CPU is each process's CPU time over
the sample's wall time (100 % = one core): near 100 % on the server side means the server was
the bottleneck.`,
    ]);
  }
  return sections;
}
