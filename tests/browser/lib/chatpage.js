'use strict';
// What a person does on the chat page, as puppeteer calls, each waiting (bounded) on what
// the page shows: the DOM the page keeps (data-state, data-replica-id, data-channel), never
// a fixed sleep. A person types into the tab in front: puppeteer's click waits for an
// animation frame, which a background tab never draws, so each action brings its tab
// forward first (the other tab keeps running its sockets and timers meanwhile).

const WAIT_MS = 15000;

// Says which page waited for what when a wait runs out ("bob: message 'x' not shown").
async function waiting(who, what, promise) {
  try {
    return await promise;
  } catch (error) {
    throw new Error(`${who}: ${what} (${error.message})`);
  }
}

async function openChat(browser, url, name) {
  const page = await browser.newPage();
  // Uncaught exceptions and errors the page logs itself. Chromium's own lines for a failed
  // request (a 401 at a wrong password, a refused connection to a dead replica) are the
  // page's error states working, not faults of it.
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !/^Failed to load resource|^WebSocket connection to/.test(text))
      problems.push(`console: ${text}`);
  });
  await page.goto(`${url}/`, { waitUntil: 'load', timeout: WAIT_MS });
  return { name, page, problems };
}

async function login({ name, page }, username, password) {
  await page.bringToFront();
  await waiting(name, 'no login form', page.waitForSelector('#login-view:not([hidden])', { timeout: WAIT_MS }));
  await page.$$eval('#username, #password', (inputs) => { for (const input of inputs) input.value = ''; });
  await page.type('#username', username);
  await page.type('#password', password);
  await page.click('#login-button');
}

// The id of the replica the page says it is connected to, once it says so (and, with
// notOn, once that is not that replica).
async function connectedReplica({ name, page }, notOn = null, timeout = WAIT_MS) {
  const what = notOn ? `not connected to a replica other than ${notOn}` : 'not connected to a replica';
  const handle = await waiting(name, what, page.waitForFunction((avoid) => {
    const replica = document.getElementById('replica');
    const id = replica && replica.dataset.state === 'connected' ? replica.dataset.replicaId : '';
    return id && id !== avoid ? id : null;
  }, { timeout, polling: 50 }, notOn));
  return handle.jsonValue();
}

async function join({ name, page }, channel) {
  await page.bringToFront();
  await page.type('#join-name', channel);
  await page.click('#join-form button');
  await waiting(name, `#${channel} not joined`,
    page.waitForSelector(`#channel-list li[data-channel="${channel}"][data-state="joined"]`, { timeout: WAIT_MS }));
}

async function say({ name, page }, text) {
  await page.bringToFront();
  await waiting(name, 'cannot send', page.waitForSelector('#send-text:not([disabled])', { timeout: WAIT_MS }));
  await page.type('#send-text', text);
  await page.click('#send-button');
}

// The message's line in the open channel: {count, recovered} once it shows.
async function messageShown({ name, page }, text) {
  const handle = await waiting(name, `message '${text}' not shown`, page.waitForFunction((wanted) => {
    const lines = [...document.querySelectorAll('#messages li.message')]
      .filter((li) => li.querySelector('.text')?.textContent === wanted);
    return lines.length ? { count: lines.length, recovered: Boolean(lines[0].querySelector('.tag')) } : null;
  }, { timeout: WAIT_MS, polling: 50 }, text));
  return handle.jsonValue();
}

async function notificationShown({ name, page }, text) {
  await waiting(name, `notification '${text}' not shown`, page.waitForFunction((wanted) => [...document.querySelectorAll('#notifications li')]
    .some((li) => li.textContent.includes(wanted)), { timeout: WAIT_MS, polling: 50 }, text));
}

async function textOf({ name, page }, selector) {
  await waiting(name, `${selector} shows no text`,
    page.waitForFunction((s) => document.querySelector(s)?.textContent, { timeout: WAIT_MS }, selector));
  return page.$eval(selector, (node) => node.textContent);
}

// Resolves with what promise does, or rejects after ms saying what did not happen.
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

module.exports = { within, openChat, login, connectedReplica, join, say, messageShown, notificationShown, textOf, WAIT_MS };
