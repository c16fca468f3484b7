// The sign-in page: POST the email and password to /api/staff/sign-in; the session comes back as
// an HttpOnly cookie, and the page goes on to where the person was going (a staff page only).
(function () {
  'use strict';

  var form = document.getElementById('sign-in');
  var email = document.getElementById('email');
  var password = document.getElementById('password');
  var button = document.getElementById('sign-in-button');
  var status = document.getElementById('status');
  var params = new URLSearchParams(location.search);

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }

  // Only a path of the staff workspace: never an address on another site.
  function next() {
    var n = params.get('next') || '';
    return /^\/staff(\/[a-z-]*)?([?#].*)?$/.test(n) && n.indexOf('/staff/sign-in') !== 0 ? n : '/staff/inbox';
  }

  document.getElementById('signed-out').hidden = params.get('signed-out') !== '1';

  fetch('/api/staff/sign-in', { headers: { Accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (state) {
      if (!state || state.accounts) return;
      document.getElementById('no-accounts').hidden = false;
      if (typeof state.command === 'string') document.getElementById('create-command').textContent = state.command;
    })
    .catch(function () {});

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!email.value.trim() || !password.value) {
      say('Enter your email and your password.', true);
      (email.value.trim() ? password : email).focus();
      return;
    }
    button.disabled = true;
    say('Signing in…');
    fetch('/api/staff/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ email: email.value.trim(), password: password.value })
    }).then(function (response) {
      return response.text().then(function (raw) {
        var body = null;
        try { body = raw ? JSON.parse(raw) : null; } catch (x) { body = null; }
        var message = body && body.error && body.error.message;
        if (response.ok) { say('Signed in.'); location.assign(next()); return; }
        password.value = '';
        password.focus();
        if (response.status === 429) say(message || 'Too many attempts; wait a while and try again.', true);
        else if (response.status === 401) say('The email or the password is wrong.', true);
        else say(message || 'Could not sign in (HTTP ' + response.status + ').', true);
      });
    }, function () {
      say('Could not reach the server. Check your connection and try again.', true);
    }).finally(function () { button.disabled = false; });
  });
})();
