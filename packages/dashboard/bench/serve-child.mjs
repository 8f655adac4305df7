// The dashboard server in its own process, for the fuzz and memory benchmarks: a crash is then seen as
// the process exiting, not hidden by the harness. Started with fork(); options arrive as JSON in argv[2].
// Messages: {cmd:'stats'} -> {stats:{rss,heapUsed,external,arrayBuffers,hub}} (after a GC when exposed).
const opts = JSON.parse(process.argv[2] ?? '{}');
// --server-dist: another build of this package (e.g. an older commit's, to compare before and after).
const { startDashboardServer } = await import(opts.serverDist ?? '../dist/index.js');
const server = await startDashboardServer({
  logdir: opts.logdir,
  webRoot: opts.webRoot,
  port: 0,
  pollMs: opts.pollMs ?? 100,
  ...(opts.mode === 'token' ? { host: '0.0.0.0', token: opts.token } : {}),
});
if (opts.liveHz > 0) {
  // A live bridge's status stream: a note edge per tick and a buffer figure every tenth.
  let i = 0;
  setInterval(() => {
    i++;
    server.publishLive({ kind: 'note', pitch: 48 + (i % 36), velocity: 80, on: i % 2 === 0, time: i * 10 });
    if (i % 10 === 0) server.publishLive({ kind: 'buffer', seconds: 2 + (i % 5) / 10 });
  }, 1000 / opts.liveHz);
}
process.on('message', (msg) => {
  if (msg?.cmd !== 'stats') return;
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.send({
    stats: {
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      hub: server.stats?.() ?? null, // absent in builds before the outbox
    },
  });
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
process.send({ ready: true, port: server.port, token: server.token });
