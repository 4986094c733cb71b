// Loaded with `node --import` into the Docusaurus dev server that `bookrun dev` starts (plain JavaScript:
// it runs before any TypeScript loader). The dev server runs in a process group of its own, so a SIGKILL
// of `bookrun dev` would leave it serving, holding its port and its files. This watchdog notices its
// parent is gone (the process gets a new parent) and ends its whole group, then removes the generated
// files folder named by BOOKRUN_DEV_GENERATED (a temporary folder of this dev server alone).
import { rmSync } from 'node:fs';

const parent = process.ppid;
const generated = process.env.BOOKRUN_DEV_GENERATED;

function removeGenerated() {
  if (!generated) return;
  try {
    rmSync(generated, { recursive: true, force: true });
  } catch {
    // best effort: it is a temporary folder
  }
}

const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  removeGenerated();
  // This process leads the group (it was started detached): SIGTERM to every member, itself included.
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch {
    process.exit(1);
  }
  // Whatever handles SIGTERM and is still here after a grace period is killed.
  setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      process.exit(1);
    }
  }, 3000).unref();
}, 250);
watch.unref();
