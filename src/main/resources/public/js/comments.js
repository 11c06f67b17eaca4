// Broadsheet reader comments: drafts, "remember me", inline replies, validation and posting.
// Progressive enhancement: the form is a normal POST, and whenever something here
// goes wrong before a request is sent, the browser's own submit carries on.
(() => {
  'use strict';

  const FIELDS = ['comment', 'name', 'email', 'url'];
  // Field name (as the server reports it) -> [control to focus, paragraph for the message],
  // in form order so the first bad field is focused.
  const TARGETS = {
    comment: ['comment-body', 'comment-body-error'],
    name: ['comment-name', 'comment-name-error'],
    email: ['comment-email', 'comment-email-error'],
    url: ['comment-url', 'comment-url-error'],
    altcha: ['human-check-box', 'comment-altcha-error'],
  };
  // Same texts and patterns as CommentService on the server.
  const MESSAGES = {
    comment: 'Please enter your comment!',
    name: 'Please enter your name here',
    emailMissing: 'Please enter your email address. It is never shown.',
    emailBad: 'That email address does not look right; use the form name@example.org.',
    url: 'The website address must start with http:// or https://.',
    posting: 'Posting…',
    network: 'Could not reach the site. Your text is kept; try again.',
    renewed: 'The verification was renewed. Please submit again; your text is kept.',
  };
  const EMAIL = /^[^@\s<>()[\],;:"\\]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;
  const WEB_URL = /^https?:\/\/[^\s<>"'`]{1,490}$/i;

  // localStorage can be missing, full or blocked (private modes); never let that break the form.
  const store = {
    get(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* ignore */ } },
    remove(key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } },
  };

  function init() {
    const section = document.getElementById('comments');
    const form = document.getElementById('respond');
    if (!section || !form || !section.contains(form)) return;

    const field = (name) => form.elements.namedItem(name);
    const value = (name) => (field(name) && typeof field(name).value === 'string' ? field(name).value.trim() : '');
    const articleId = section.dataset.articleId || value('article');
    const api = section.dataset.commentsApi;
    const keys = {
      draft: 'broadsheet.draft.' + articleId,
      pending: 'broadsheet.pending.' + articleId,
      commenter: 'broadsheet.commenter',
    };
    const textarea = field('comment');
    const parentInput = field('parent');
    const remember = field('remember');
    const replyingTo = form.querySelector('.replying-to');
    const replyingName = form.querySelector('.replying-to-name');
    const cancelReply = form.querySelector('.cancel-reply');
    const formErrors = form.querySelector('.form-errors');
    const status = form.querySelector('.form-status');
    const submit = form.querySelector('.comment-submit') || form.querySelector('[type="submit"]');
    if (!textarea || !parentInput) return; // not the form this script was written for
    const humanCheck = () => window.BroadsheetHumanCheck;

    // A marker at the form's original place, so "Cancel reply" can always put it back.
    const home = document.createComment(' comment form ');
    form.before(home);

    // ---- 1 + 2. Drafts and "remember me" ------------------------------------------------

    // Server-rendered values win, then the unsent draft, then the remembered commenter.
    const draft = store.get(keys.draft) || {};
    const commenter = store.get(keys.commenter);
    for (const name of FIELDS) {
      const input = field(name);
      if (!input || input.value) continue;
      const saved = draft[name] || (commenter && name !== 'comment' ? commenter[name] : '');
      if (typeof saved === 'string' && saved) input.value = saved;
    }
    if (commenter && remember) remember.checked = true;

    let draftTimer = 0;
    function saveDraft() {
      clearTimeout(draftTimer);
      draftTimer = 0;
      const data = {};
      for (const name of FIELDS) if (field(name) && field(name).value) data[name] = field(name).value;
      if (Object.keys(data).length) store.set(keys.draft, data);
      else store.remove(keys.draft);
    }
    function dropDraft() {
      clearTimeout(draftTimer);
      draftTimer = 0;
      store.remove(keys.draft);
    }
    // Flush immediately when the page goes away so the debounce never loses the last words.
    window.addEventListener('pagehide', () => { if (draftTimer) saveDraft(); });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden' && draftTimer) saveDraft();
    });

    function rememberCommenter() {
      if (!remember) return;
      if (remember.checked) store.set(keys.commenter, { name: value('name'), email: value('email'), url: value('url') });
      else store.remove(keys.commenter);
    }

    // ---- 3. Replies ---------------------------------------------------------------------

    let replyLink = null;
    function startReply(li, id, name, link) {
      const inner = li.querySelector(':scope > .comment-inner') || li.firstElementChild;
      if (!inner) return false;
      inner.after(form);
      parentInput.value = id;
      if (replyingName) replyingName.textContent = name || '';
      if (replyingTo) replyingTo.hidden = false;
      replyLink = link || null;
      return true;
    }
    function endReply(restoreFocus) {
      home.after(form);
      parentInput.value = '';
      if (replyingTo) replyingTo.hidden = true;
      if (replyingName) replyingName.textContent = '';
      // Return readers to the comment they were reading, as closing a dialog would.
      if (restoreFocus) (replyLink && replyLink.isConnected ? replyLink : textarea).focus();
      replyLink = null;
    }

    // Delegated, so reply links in comments inserted later work too.
    section.addEventListener('click', (event) => {
      const link = event.target.closest && event.target.closest('a.comment-reply[data-reply-to]');
      if (!link || !section.contains(link)) return;
      // Keep "open in new tab" and friends working.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const li = link.closest('li.comment');
      if (!li) return;
      event.preventDefault();
      if (startReply(li, link.dataset.replyTo, link.dataset.replyName, link)) textarea.focus();
    });
    if (cancelReply) cancelReply.addEventListener('click', () => endReply(true));

    // ---- 4. Validation ------------------------------------------------------------------

    function validate() {
      const errors = {};
      if (textarea && !value('comment')) errors.comment = MESSAGES.comment;
      if (field('name') && !value('name')) errors.name = MESSAGES.name;
      const email = field('email');
      if (email && !value('email') && email.dataset.required === 'true') errors.email = MESSAGES.emailMissing;
      else if (email && value('email') && !EMAIL.test(value('email'))) errors.email = MESSAGES.emailBad;
      if (value('url') && !WEB_URL.test(value('url'))) errors.url = MESSAGES.url;
      return errors;
    }

    function hideFieldError(name) {
      const [controlId, errorId] = TARGETS[name];
      const control = document.getElementById(controlId);
      const error = document.getElementById(errorId);
      if (control) control.removeAttribute('aria-invalid');
      if (error) { error.textContent = ''; error.hidden = true; }
    }

    function clearErrors() {
      Object.keys(TARGETS).forEach(hideFieldError);
      if (formErrors) { formErrors.textContent = ''; formErrors.hidden = true; }
    }

    function showFormError(message) {
      if (formErrors) { formErrors.textContent = message; formErrors.hidden = false; }
      setStatus(message);
    }

    function setStatus(message) {
      if (status) status.textContent = message;
    }

    // Shows each message beside its field; returns the control that should get focus.
    function showErrors(errors) {
      let first = null;
      for (const name of Object.keys(TARGETS)) {
        if (!errors[name]) continue;
        const [controlId, errorId] = TARGETS[name];
        const control = document.getElementById(controlId);
        const error = document.getElementById(errorId);
        if (error) { error.textContent = errors[name]; error.hidden = false; }
        if (control) control.setAttribute('aria-invalid', 'true');
        if (!first) first = control || error;
      }
      // Anything the form has no place for goes into the summary.
      const extra = Object.keys(errors).filter((name) => !TARGETS[name]).map((name) => errors[name]);
      if (extra.length && formErrors) { formErrors.textContent = extra.join(' '); formErrors.hidden = false; }
      return first;
    }

    function focusControl(control) {
      if (!control) return;
      if (!control.matches('input, textarea, select, button, a[href], [tabindex]')) control.setAttribute('tabindex', '-1');
      control.focus();
    }

    // Clear a field's message as soon as the reader has fixed it, and keep the draft current.
    form.addEventListener('input', (event) => {
      const name = event.target.name;
      if (!FIELDS.includes(name)) return;
      clearTimeout(draftTimer);
      draftTimer = setTimeout(saveDraft, 300);
      if (event.target.getAttribute('aria-invalid') === 'true' && !validate()[name]) hideFieldError(name);
    });

    // ---- 5. Posting ---------------------------------------------------------------------

    function commentById(id) {
      if (id === null || id === undefined || id === '') return null;
      return Array.from(section.querySelectorAll('li.comment')).find((li) => li.dataset.commentId === String(id)) || null;
    }

    function commentList() {
      let list = section.querySelector('ol.comment-list');
      if (!list) {
        list = document.createElement('ol');
        list.className = 'comment-list';
        home.before(list);
      }
      return list;
    }

    // Replies go into the parent's children list, everything else at the end of the thread.
    function insertComment(html, parentId) {
      const template = document.createElement('template');
      template.innerHTML = String(html).trim();
      const li = template.content.querySelector('li.comment');
      if (!li) return null;
      const existing = li.id ? document.getElementById(li.id) : null;
      if (existing) { existing.replaceWith(li); return li; }
      const parent = commentById(parentId);
      if (parent) {
        let children = parent.querySelector(':scope > ol.comment-children');
        if (!children) {
          children = document.createElement('ol');
          children.className = 'comment-children';
          parent.appendChild(children);
        }
        children.appendChild(li);
      } else {
        commentList().appendChild(li);
      }
      return li;
    }

    function pendingIds() {
      const ids = store.get(keys.pending);
      return Array.isArray(ids) ? ids : [];
    }

    function posted(body, parentId) {
      clearErrors();
      const li = body.html ? insertComment(body.html, parentId) : null;
      if (textarea) textarea.value = '';
      dropDraft();
      endReply(false);
      const pending = body.status === 'pending';
      if (pending && body.id !== undefined && body.id !== null) {
        const ids = pendingIds();
        if (!ids.some((id) => String(id) === String(body.id))) ids.push(body.id);
        store.set(keys.pending, ids);
      }
      setStatus(body.message || (pending ? 'Your comment is awaiting moderation.' : 'Your comment was posted.'));
      if (li) {
        li.setAttribute('tabindex', '-1');
        li.focus(); // also scrolls it into view
      }
      // An answer verifies only once; get the next one ready.
      if (humanCheck()) humanCheck().reset(form);
    }

    function rejected(body) {
      const errors = body.errors || {};
      const expired = Boolean(errors.altcha) && body.code === 'expired' && humanCheck();
      if (expired) humanCheck().reset(form);
      const first = showErrors(errors);
      setStatus(expired ? MESSAGES.renewed : body.message || 'Your comment was not posted. Please correct the marked fields.');
      // With only an expired check to fix, the next step is simply to submit again.
      focusControl(expired && Object.keys(errors).length === 1 ? submit : first);
    }

    function retryText(header) {
      if (!header) return '';
      let seconds = /^\d+$/.test(header.trim()) ? Number(header) : Math.round((Date.parse(header) - Date.now()) / 1000);
      if (!Number.isFinite(seconds) || seconds <= 0) return '';
      if (seconds < 90) return ` You can try again in about ${seconds} seconds.`;
      seconds = Math.ceil(seconds / 60);
      return ` You can try again in about ${seconds} minutes.`;
    }

    function failed(response, body) {
      let message = body.message || `The comment could not be posted (error ${response.status}). Your text is kept; try again.`;
      // Add the wait only if the server's own message does not already give a number.
      if (response.status === 429 && !/\d/.test(message)) message += retryText(response.headers.get('Retry-After'));
      showFormError(message);
    }

    let sending = false;
    async function send() {
      sending = true;
      let requested = false;
      if (submit) submit.disabled = true;
      setStatus(MESSAGES.posting);
      try {
        const check = humanCheck();
        if (check && typeof check.ensureFresh === 'function') await check.ensureFresh(form);
        const parentId = parentInput ? parentInput.value : '';
        const request = fetch(api, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
          body: new URLSearchParams(new FormData(form)),
        });
        requested = true;
        let response;
        try {
          response = await request;
        } catch (err) {
          showFormError(MESSAGES.network);
          return;
        }
        const body = (await response.json().catch(() => null)) || {};
        if (response.ok && (body.html || (body.id !== undefined && body.id !== null))) posted(body, parentId);
        else if (response.status === 400 && body.errors) rejected(body);
        else if (response.ok) posted({ message: body.message || 'Your comment was sent. Reload the page to see it.' }, parentId);
        else failed(response, body);
      } catch (err) {
        if (window.console) console.error('comment form:', err);
        // Nothing was sent yet, so the ordinary POST is safe; afterwards it could post twice.
        if (!requested) { HTMLFormElement.prototype.submit.call(form); return; }
        showFormError('Something went wrong on this page. Your text is kept; reload and try again.');
      } finally {
        sending = false;
        if (submit) submit.disabled = false;
        // Disabling the focused button drops focus; give it back rather than leave it on <body>.
        if (submit && (!document.activeElement || document.activeElement === document.body)) submit.focus();
      }
    }

    form.addEventListener('submit', (event) => {
      if (sending) { event.preventDefault(); return; }
      let errors;
      try {
        errors = validate();
        clearErrors();
        setStatus('');
        if (Object.keys(errors).length) {
          event.preventDefault();
          focusControl(showErrors(errors));
          return;
        }
        rememberCommenter();
        saveDraft();
      } catch (err) {
        return; // let the browser post normally
      }
      if (!api || typeof fetch !== 'function') return;
      event.preventDefault();
      send();
    });

    // ---- 6. The reader's comments still awaiting moderation -----------------------------

    async function restorePending() {
      const ids = pendingIds();
      if (!ids.length || !api) return;
      const response = await fetch(api.replace(/\/+$/, '') + '/mine', {
        credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' },
      });
      if (!response.ok) return;
      const body = await response.json().catch(() => null);
      if (!body || !Array.isArray(body.comments)) return;
      const comments = body.comments.filter((c) => c && c.id !== undefined && c.id !== null);
      // Insert in passes so a reply to another pending comment finds its parent.
      let queue = comments.filter((c) => c.html && !commentById(c.id));
      while (queue.length) {
        const waiting = queue.filter((c) => c.parentId && !commentById(c.parentId) &&
          queue.some((other) => String(other.id) === String(c.parentId)));
        const ready = queue.filter((c) => !waiting.includes(c));
        if (!ready.length) { waiting.forEach((c) => insertComment(c.html, null)); break; }
        ready.forEach((c) => insertComment(c.html, c.parentId));
        queue = waiting;
      }
      const still = ids.filter((id) => comments.some((c) => String(c.id) === String(id)));
      if (still.length) store.set(keys.pending, still);
      else store.remove(keys.pending);
    }

    // ---- On load ------------------------------------------------------------------------

    // A reply that came back from the server with errors: put the form under its comment.
    if (parentInput && parentInput.value) {
      const li = commentById(parentInput.value);
      const link = li && li.querySelector(':scope > .comment-inner a.comment-reply');
      const name = (link && link.dataset.replyName) || (replyingName && replyingName.textContent);
      if (li) startReply(li, parentInput.value, name, link);
    }
    // Server-side errors (no-JS path re-render): take the reader to the first one.
    const invalid = form.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();

    restorePending().catch(() => { /* the comments are still on the server; nothing to do */ });
  }

  function start() {
    try {
      init();
    } catch (err) {
      // Leave the plain form as the server rendered it.
      if (window.console) console.error('comments enhancement disabled:', err);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
