// Broadsheet human check: proof-of-work solver (ALTCHA-compatible).
// Runs in a Web Worker so hashing never blocks typing on the page.
// In:  {challenge, salt, algorithm, max}
// Out: {number, took} when hex(HASH(salt + number)) === challenge, else {error}.
'use strict';

// Digests are awaited in parallel chunks: one await per number is far slower.
const CHUNK = 500;
const ALGORITHMS = ['SHA-1', 'SHA-256', 'SHA-512'];
const encoder = new TextEncoder();

// Comparing raw bytes avoids building a hex string for every candidate.
function hexToBytes(hex) {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function sameBytes(buffer, target) {
  const a = new Uint8Array(buffer);
  if (a.length !== target.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== target[i]) return false;
  return true;
}

async function solve({ challenge, salt, algorithm = 'SHA-256', max = 1e6 }) {
  if (!self.crypto || !self.crypto.subtle) throw new Error('WebCrypto is not available');
  const alg = String(algorithm).toUpperCase();
  if (!ALGORITHMS.includes(alg)) throw new Error('unsupported algorithm ' + alg);
  const target = hexToBytes(String(challenge));
  const limit = Number(max);
  if (!target || typeof salt !== 'string' || !Number.isFinite(limit) || limit < 0) {
    throw new Error('malformed challenge');
  }
  const start = Date.now();
  for (let base = 0; base <= limit; base += CHUNK) {
    const end = Math.min(base + CHUNK - 1, limit);
    const jobs = [];
    for (let n = base; n <= end; n++) jobs.push(crypto.subtle.digest(alg, encoder.encode(salt + n)));
    const hashes = await Promise.all(jobs);
    for (let i = 0; i < hashes.length; i++) {
      if (sameBytes(hashes[i], target)) return { number: base + i, took: Date.now() - start };
    }
  }
  throw new Error('no solution found');
}

self.onmessage = (event) => {
  solve(event.data || {}).then(
    (result) => self.postMessage(result),
    (err) => self.postMessage({ error: String((err && err.message) || err) })
  );
};
