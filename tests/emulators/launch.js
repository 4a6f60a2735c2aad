// Runs an emulator as a child and ends it when the process that asked for it (argv[2]) is gone,
// so a crashed or killed test run never leaves Azurite or s3rver behind on the machine. When
// FUNCTIONSUPLOADER_DATA_DIR names the emulator's data folder, it is deleted once the emulator has exited, and its
// parent too once that is empty.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const [parentPid, packageName, binName, ...args] = process.argv.slice(2);
const packageJson = require.resolve(`${packageName}/package.json`, { paths: [__dirname] });
const bin = require(packageJson).bin;
const script = path.join(path.dirname(packageJson), typeof bin === 'string' ? bin : bin[binName]);

// The emulator's output goes through us, not straight to our stdout: when the starting process is killed, that
// pipe breaks, and an emulator writing its shutdown messages into it would die of EPIPE before it saved its data
// (Azurite persists every few seconds and on close). We drop what can no longer be delivered instead.
const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
// Azurite prints "... is closing..." and "... successfully closed" for each service it stops: once every service
// has closed, its data is saved, and only sockets that our own (still running) starter keeps open hold it up.
let stopping = false;
let closing = 0;
for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
  to.on('error', () => { /* the reader is gone */ });
  from.on('data', (chunk) => {
    if (to.writable) to.write(chunk);
    const text = chunk.toString();
    closing += (text.match(/is closing\.\.\./g) || []).length - (text.match(/successfully closed/g) || []).length;
    if (stopping && closing === 0 && /successfully closed/.test(text)) child.kill('SIGKILL');
  });
}
// SIGTERM lets Azurite close its servers and save its databases (milliseconds here); SIGKILL only for a hung one.
const stop = () => {
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 10000).unref();
};
const dataDir = process.env.FUNCTIONSUPLOADER_DATA_DIR;
child.on('exit', (code, signal) => {
  if (dataDir) {
    const fs = require('node:fs');
    try { fs.rmSync(dataDir, { recursive: true, force: true }); } catch { /* best effort */ }
    // The emulators of one run share a parent folder: whichever launcher ends last removes it (rmdir only takes an empty one).
    try { fs.rmdirSync(path.dirname(dataDir)); } catch { /* not empty yet, or already gone */ }
  }
  process.exit(code ?? (signal ? 1 : 0));
});
// Stdin closes when the starting process disposes us or dies: stop cleanly either way.
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {
  try { process.kill(Number(parentPid), 0); } catch { stop(); }
}, 1000).unref();
