// Broadsheet human check: a self-hosted, ALTCHA-compatible proof-of-work widget.
// Progressive enhancement: without it the form still posts (and is held for
// moderation), so every failure here ends in "let the form submit anyway".
(() => {
  'use strict';

  const MARGIN_MS = 5000;            // treat answers as stale this long before they expire
  const MIN_RENEW_MS = 10000;        // never renew in a tight loop, even with odd clocks
  const MAX_TIMER_MS = 2147483647;   // setTimeout overflows beyond this
  const FETCH_TIMEOUT_MS = 15000;
  const widgets = new WeakMap();     // form -> Widget
  let count = 0;

  const TEXT = {
    solving: 'Verifying…',
    verified: 'Verified',
    expired: 'The verification expired. Renewing…',
    error: (why) => `The check could not run: ${why}. Your comment will be held for moderation.`,
  };

  // The signed salt carries its parameters after '?', e.g. "abc?expires=1767225600&kid=1&".
  function expiresAt(salt) {
    const q = salt.indexOf('?');
    if (q < 0) return 0;
    const seconds = Number(new URLSearchParams(salt.slice(q + 1)).get('expires'));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
  }

  class Widget {
    constructor(root, form) {
      this.root = root;
      this.form = form;
      this.challengeUrl = root.dataset.challengeUrl;
      this.workerUrl = root.dataset.workerUrl;
      this.state = 'idle';
      this.started = false;
      this.generation = 0;   // bumped on reset so late results of old runs are ignored
      this.run = null;       // the solve in progress, shared by every caller
      this.expires = 0;
      this.skew = 0;         // server clock minus ours, so a wrong local clock cannot loop us
      this.timer = 0;
      this.cancel = null;
      this.build();
    }

    build() {
      const suffix = ++count === 1 ? '' : '-' + count;
      const name = this.root.dataset.field || 'altcha';
      this.field = Array.from(this.form.querySelectorAll('input[type="hidden"]'))
        .find((input) => input.name === name);
      if (!this.field) {
        this.field = document.createElement('input');
        this.field.type = 'hidden';
        this.field.name = name;
        this.root.appendChild(this.field);
      }
      this.field.value = '';

      const control = document.createElement('div');
      control.className = 'human-check-control';
      this.box = document.createElement('input');
      this.box.type = 'checkbox';
      this.box.id = 'human-check-box' + suffix;
      const label = document.createElement('label');
      label.htmlFor = this.box.id;
      label.textContent = "I'm not a robot";
      this.status = document.createElement('span');
      this.status.className = 'human-check-status';
      this.status.id = 'human-check-status' + suffix;
      this.status.setAttribute('aria-live', 'polite');
      // Let screen readers hear the status and any server error with the box.
      const error = this.root.querySelector('.field-error[id]');
      this.box.setAttribute('aria-describedby', [this.status.id, error && error.id].filter(Boolean).join(' '));
      control.append(this.box, label, this.status);
      this.root.prepend(control);
      this.root.dataset.state = 'idle';

      // Work starts with the reader's first interaction, not on page load.
      const start = () => this.start();
      this.form.addEventListener('focusin', start, { once: true });
      this.form.addEventListener('input', start, { once: true });
      // The box only starts or retries the check; readers cannot untick a result.
      this.box.addEventListener('click', (event) => {
        event.preventDefault();
        if (this.state === 'idle' || this.state === 'error') this.solve();
      });
    }

    now() { return Date.now() + this.skew; }

    isFresh() {
      return this.state === 'verified' && this.field.value !== '' &&
        (!this.expires || this.expires - MARGIN_MS > this.now());
    }

    setState(state, text) {
      this.state = state;
      this.root.dataset.state = state;
      this.status.textContent = text;
      this.box.checked = state === 'verified';
      // aria-disabled (not disabled) so a focused box keeps keyboard focus while solving.
      if (state === 'solving') this.box.setAttribute('aria-disabled', 'true');
      else this.box.removeAttribute('aria-disabled');
      this.form.dispatchEvent(new CustomEvent('humancheck:state', { bubbles: true, detail: { state } }));
    }

    clear() {
      clearTimeout(this.timer);
      this.timer = 0;
      this.field.value = '';
      this.expires = 0;
    }

    start() {
      if (!this.started) this.solve();
    }

    // Returns the run in progress or a new one; never rejects.
    solve(renewing = false) {
      if (this.run) return this.run;
      this.started = true;
      const generation = ++this.generation;
      const run = this.attempt(generation, renewing).finally(() => {
        if (this.run === run) this.run = null;
      });
      this.run = run;
      return run;
    }

    async attempt(generation, renewing) {
      this.clear();
      this.setState('solving', renewing ? TEXT.expired : TEXT.solving);
      try {
        if (typeof Worker !== 'function' || !this.workerUrl) throw new Error('this browser cannot run the background check');
        if (!window.isSecureContext || !window.crypto || !crypto.subtle) throw new Error('the page needs a secure (https) connection');
        const challenge = await this.fetchChallenge();
        if (generation !== this.generation) return;
        const result = await this.work(challenge);
        if (generation !== this.generation) return;
        this.accept(challenge, result);
      } catch (err) {
        if (generation !== this.generation) return;
        this.setState('error', TEXT.error((err && err.message) || 'unknown problem'));
      }
    }

    async fetchChallenge() {
      const abort = new AbortController();
      const timeout = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
      let response;
      try {
        response = await fetch(this.challengeUrl, {
          credentials: 'same-origin', cache: 'no-store',
          headers: { Accept: 'application/json' }, signal: abort.signal,
        });
      } catch (err) {
        throw new Error('the site could not be reached');
      } finally {
        clearTimeout(timeout);
      }
      if (!response.ok) throw new Error(`the puzzle could not be loaded (error ${response.status})`);
      // Only correct clocks that are clearly off; the Date header has 1 s resolution.
      const serverNow = Date.parse(response.headers.get('Date') || '');
      const skew = serverNow - Date.now();
      this.skew = Number.isFinite(skew) && Math.abs(skew) > 10000 ? skew : 0;
      const data = await response.json().catch(() => null);
      const max = Number(data && (data.maxnumber ?? data.maxNumber ?? 1e6));
      if (!data || typeof data.challenge !== 'string' || typeof data.salt !== 'string' ||
          typeof data.signature !== 'string' || !Number.isFinite(max)) {
        throw new Error('the puzzle from the site was not understood');
      }
      return { algorithm: data.algorithm || 'SHA-256', challenge: data.challenge, salt: data.salt, signature: data.signature, max };
    }

    // A fresh worker per run: terminating it is the simplest way to stop the CPU work.
    work(challenge) {
      return new Promise((resolve, reject) => {
        let worker;
        try {
          worker = new Worker(this.workerUrl);
        } catch (err) {
          reject(new Error('the background check could not start'));
          return;
        }
        const finish = () => { worker.terminate(); this.cancel = null; };
        this.cancel = () => { finish(); reject(new Error('cancelled')); };
        worker.onmessage = (event) => {
          finish();
          const data = event.data || {};
          if (Number.isInteger(data.number)) resolve(data);
          else reject(new Error('the puzzle could not be solved' + (data.error ? ` (${data.error})` : '')));
        };
        worker.onerror = (event) => {
          if (event.preventDefault) event.preventDefault();
          finish();
          reject(new Error('the background check could not start'));
        };
        worker.postMessage({ challenge: challenge.challenge, salt: challenge.salt, algorithm: challenge.algorithm, max: challenge.max });
      });
    }

    accept(challenge, result) {
      const payload = {
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: result.number,
        salt: challenge.salt, signature: challenge.signature, took: Math.round(Number(result.took) || 0),
      };
      this.field.value = btoa(JSON.stringify(payload));
      this.expires = expiresAt(challenge.salt);
      this.setState('verified', TEXT.verified);
      if (this.expires) {
        const wait = this.expires - MARGIN_MS - this.now();
        this.timer = setTimeout(() => this.renew(), Math.min(Math.max(wait, MIN_RENEW_MS), MAX_TIMER_MS));
      }
    }

    renew() {
      this.clear();
      this.setState('expired', TEXT.expired);
      return this.solve(true);
    }

    // Resolves once the form holds an unexpired answer, or the check gave up.
    async ensureFresh() {
      for (let tries = 0; tries < 3 && !this.isFresh(); tries++) {
        await (this.run || (this.state === 'verified' ? this.renew() : this.solve()));
        if (this.state === 'error') break;
      }
    }

    // An answer verifies only once, so start over after each successful post.
    reset() {
      this.generation++;
      if (this.cancel) this.cancel();
      this.run = null;
      this.clear();
      return this.solve();
    }

    // Background tabs throttle timers, so re-check when the reader comes back.
    checkVisible() {
      if (document.visibilityState === 'visible' && this.state === 'verified' && !this.isFresh()) this.renew();
    }
  }

  // Without comments.js, hold a plain submit until the answer is ready, then post natively.
  // Listening on document (bubble phase) means form handlers ran first and may have taken over.
  function onSubmit(event) {
    const widget = widgets.get(event.target);
    if (!widget) return;
    if (event.defaultPrevented || widget.isFresh() || widget.state === 'error') {
      widget.start();
      return;
    }
    event.preventDefault();
    if (widget.holding) return;
    widget.holding = true;
    widget.ensureFresh().then(() => {
      widget.holding = false;
      HTMLFormElement.prototype.submit.call(widget.form); // immune to a control named "submit"
    });
  }

  function init() {
    document.querySelectorAll('.human-check[data-challenge-url]').forEach((root) => {
      const form = root.closest('form');
      if (!form || widgets.has(form)) return;
      try {
        widgets.set(form, new Widget(root, form));
      } catch (err) {
        // Leave the plain form alone: it still posts and is moderated.
        if (window.console) console.error('human check disabled:', err);
      }
    });
    document.addEventListener('submit', onSubmit);
    document.addEventListener('visibilitychange', () => {
      document.querySelectorAll('form').forEach((form) => {
        const widget = widgets.get(form);
        if (widget) widget.checkVisible();
      });
    });
  }

  // Public API for comments.js; both calls always resolve, never reject.
  window.BroadsheetHumanCheck = {
    ensureFresh(form) {
      const widget = widgets.get(form);
      return widget ? widget.ensureFresh().catch(() => {}) : Promise.resolve();
    },
    reset(form) {
      const widget = widgets.get(form);
      return widget ? widget.reset().catch(() => {}) : Promise.resolve();
    },
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
