// Shared by the staff pages: who is signed in, the CSRF token for changes, JSON requests that
// send the signed-in person to the sign-in page when their session has ended, small DOM helpers.
// Everything from the server or a patient goes into the page with textContent, never as HTML.
(function () {
  'use strict';

  var csrf = null;
  var me = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function signInAgain() {
    location.assign('/staff/sign-in?next=' + encodeURIComponent(location.pathname + location.search + location.hash));
  }

  function errorText(response, body) {
    var message = body && body.error && typeof body.error.message === 'string' ? body.error.message : '';
    return message || ('The server answered ' + response.status + '.');
  }

  // fetch() for the staff APIs: JSON in and out, the CSRF token on every change. Rejects with an
  // Error whose message can be shown; a 401 (the session has ended) goes to the sign-in page.
  function api(method, url, body) {
    var headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    return fetch(url, {
      method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (raw) {
        var parsed = null;
        try { parsed = raw ? JSON.parse(raw) : null; } catch (e) { parsed = null; }
        if (response.status === 401) { signInAgain(); throw new Error('Your session has ended; sign in again.'); }
        if (!response.ok) { var err = new Error(errorText(response, parsed)); err.status = response.status; err.body = parsed; throw err; }
        return parsed;
      });
    }, function () {
      throw new Error('Could not reach the server. Check your connection and try again.');
    });
  }

  function formatTime(ms) {
    if (typeof ms !== 'number') return '';
    var d = new Date(ms);
    return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }) + ', ' +
      d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }

  // Who is signed in, and the sign-out button, on every page's bar.
  var ready = api('GET', '/api/staff/me').then(function (who) {
    me = who;
    csrf = who && who.csrf;
    var name = document.getElementById('who');
    if (name) name.textContent = who.email;
    var here = document.querySelector('.bar nav a[href="' + location.pathname + '"]');
    if (here) here.setAttribute('aria-current', 'page');
    return who;
  });

  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest && e.target.closest('#sign-out');
    if (!t) return;
    t.disabled = true;
    api('POST', '/api/staff/sign-out', {}).then(function () {
      location.assign('/staff/sign-in?signed-out=1');
    }, function () { t.disabled = false; });
  });

  window.citedStaff = {
    ready: ready,
    api: api,
    el: el,
    formatTime: formatTime,
    csrf: function () { return csrf; },
    me: function () { return me; }
  };
})();
