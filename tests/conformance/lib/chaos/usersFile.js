'use strict';
// The accounts of a chaos run, written as a users file every replica reads
// (`switchboard devcluster --users`). Each channel has its own publisher and its own
// subscriber, members of that channel only: a subscriber's SSE stream then carries exactly
// one channel's messages (a stream carries every channel of its user, less the user's own
// messages), and the per-user replay store (the last 1000 events) spans 1000 / rate-per-channel
// seconds, long enough to resume across any fault of the run.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// The node verifies whatever PBKDF2 cost a hash names; these passwords are random and
// single-use, so a low cost keeps the replicas' logins cheap (as the console's demo does).
const ITERATIONS = 1000;

function passwordHash(password) {
  const salt = crypto.randomBytes(16);
  const key = crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256');
  return `pbkdf2-sha256$${ITERATIONS}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// Writes the file into `dir`; returns { file, channels: [{ name, publisher, subscriber }] }
// where publisher and subscriber are { username, password }.
function writeUsersFile(dir, channelCount) {
  const channels = [];
  const users = [];
  for (let i = 1; i <= channelCount; i += 1) {
    const name = `chaos-${i}`;
    const account = (role) => ({ username: `${role}-${i}`, password: crypto.randomBytes(12).toString('hex') });
    const entry = { name, publisher: account('pub'), subscriber: account('sub') };
    for (const user of [entry.publisher, entry.subscriber])
      users.push({ name: user.username, passwordHash: passwordHash(user.password), roles: ['ROLE_USER'], channels: [name] });
    channels.push(entry);
  }
  const file = path.join(dir, 'chaos-users.json');
  fs.writeFileSync(file, JSON.stringify({ users }));
  return { file, channels };
}

module.exports = { writeUsersFile };
