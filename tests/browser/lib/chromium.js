'use strict';
// Debian's chromium (SB_CHROMIUM, default /usr/bin/chromium) driven by puppeteer-core over
// a pipe (no DevTools port), headless (--headless=new), with a profile in a temp dir of
// its own, no sandbox only when running as root (Chromium refuses to start otherwise), and
// loopback only: no background services, and every host name but localhost fails to
// resolve. Stopped when the test ends: browser.close(), then SIGKILL to its process group
// (puppeteer starts it detached, so the group is exactly this Chromium and its helpers).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const puppeteer = require('puppeteer-core');

const groups = new Set();
process.on('exit', () => {
  for (const pid of groups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

async function launchChromium(t) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-chromium-'));
  const args = [
    '--headless=new',
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-gpu',
    '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  ];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  const browser = await puppeteer.launch({
    executablePath: process.env.SB_CHROMIUM || '/usr/bin/chromium',
    headless: false, // --headless=new is in args, said once and explicitly
    pipe: true,
    args,
    timeout: 20000,
  });
  const pid = browser.process().pid;
  groups.add(pid);
  t.after(async () => {
    await Promise.race([browser.close().catch(() => {}), new Promise((resolve) => { setTimeout(resolve, 5000); })]);
    try { process.kill(-pid, 'SIGKILL'); } catch { /* closed cleanly */ }
    groups.delete(pid);
    fs.rmSync(profile, { recursive: true, force: true });
  });
  return browser;
}

module.exports = { launchChromium };
