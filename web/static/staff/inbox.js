// The hand-off inbox (/staff/inbox): the list by status, and one hand-off opened: the patient's
// contact, their question, the conversation with the assistant (answers and citations), a
// suggested reply to edit, copy or open in an email, and the buttons that record it as replied
// or closed (the server keeps who and when). All text goes in with textContent.
(function () {
  'use strict';

  var S = window.citedStaff;
  var el = S.el;
  var list = document.getElementById('list');
  var status = document.getElementById('status');
  var detail = document.getElementById('detail');
  var heading = document.getElementById('detail-heading');
  var contact = document.getElementById('contact');
  var asked = document.getElementById('asked');
  var state = document.getElementById('state');
  var question = document.getElementById('question');
  var draft = document.getElementById('draft');
  var mailto = document.getElementById('mailto');
  var copyStatus = document.getElementById('copy-status');
  var transcript = document.getElementById('transcript');
  var buttons = {
    replied: document.getElementById('mark-replied'),
    closed: document.getElementById('mark-closed'),
    new: document.getElementById('mark-new')
  };
  var LABELS = { new: 'New', replied: 'Replied', closed: 'Closed' };
  var filter = 'new';
  var current = null;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }
  function str(v) { return typeof v === 'string' ? v : ''; }

  function stateText(h) {
    var text = LABELS[h.status] || h.status;
    if (h.status !== 'new' && h.status_by) text += ' by ' + h.status_by + ', ' + S.formatTime(h.status_at);
    return text;
  }

  function renderList(body) {
    var counts = body.counts || {};
    document.querySelectorAll('[data-count]').forEach(function (c) {
      var n = counts[c.getAttribute('data-count')];
      c.textContent = typeof n === 'number' ? '(' + n + ')' : '';
    });
    list.replaceChildren();
    var items = Array.isArray(body.handoffs) ? body.handoffs : [];
    items.forEach(function (h) {
      var li = el('li', 'handoff-item');
      li.setAttribute('data-status', h.status);
      var link = el('a', null);
      link.href = '#' + encodeURIComponent(h.handoff_id);
      link.setAttribute('data-id', h.handoff_id);
      if (current && current.handoff_id === h.handoff_id) link.setAttribute('aria-current', 'true');
      link.appendChild(el('span', 'who-line', (h.name || 'No name given') + ' · ' + h.contact));
      link.appendChild(el('span', 'q-line', h.question));
      var meta = el('span', 'meta-line');
      meta.appendChild(el('span', 'badge ' + (h.status === 'new' ? 'no_answer' : h.status === 'replied' ? 'answered' : 'smalltalk'), LABELS[h.status] || h.status));
      meta.appendChild(document.createTextNode(' ' + S.formatTime(h.created_at)));
      link.appendChild(meta);
      li.appendChild(link);
      list.appendChild(li);
    });
    say(items.length ? '' : (filter === 'new' ? 'No new hand-offs. Patients who ask to be contacted appear here.' : 'Nothing here.'));
  }

  function load() {
    return S.api('GET', '/api/staff/handoffs' + (filter === 'all' ? '' : '?status=' + filter)).then(renderList, function (e) {
      say(e.message, true);
    });
  }

  function renderAnswer(li, answer) {
    if (!answer || typeof answer !== 'object') return;
    var box = el('div', 'bot-turn');
    box.setAttribute('data-status', str(answer.status));
    var top = el('div', 'badges');
    top.appendChild(el('span', 'badge ' + str(answer.status), str(answer.status).replace('_', ' ')));
    if (answer.conflict === true) top.appendChild(el('span', 'badge conflict', 'Sources disagree'));
    box.appendChild(top);
    box.appendChild(el('p', 'answer', str(answer.text)));
    var cites = Array.isArray(answer.citations) ? answer.citations : [];
    if (cites.length) {
      var ol = el('ol', 'citations');
      cites.forEach(function (c) {
        var item = el('li', 'citation');
        item.appendChild(el('span', 'cite-n', '[' + c.n + '] '));
        item.appendChild(el('span', 'cite-title', str(c.title)));
        item.appendChild(el('blockquote', 'quote', str(c.quote)));
        ol.appendChild(item);
      });
      box.appendChild(ol);
    }
    li.appendChild(box);
  }

  function renderDetail(h) {
    current = h;
    detail.hidden = false;
    heading.textContent = (h.name || 'A patient') + ' asked';
    contact.textContent = h.contact;
    contact.href = (h.contact_kind === 'phone' ? 'tel:' + h.contact.replace(/[^0-9+]/g, '') : 'mailto:' + h.contact);
    asked.textContent = S.formatTime(h.created_at) + (h.via === 'ws' ? ' in the chat' : '');
    state.textContent = stateText(h);
    question.textContent = h.question;
    buttons.replied.hidden = h.status === 'replied';
    buttons.closed.hidden = h.status === 'closed';
    buttons.new.hidden = h.status === 'new';
    var reply = h.reply && typeof h.reply.draft === 'string' ? h.reply.draft : '';
    draft.value = reply || ('Hello ' + (h.name || '') + ',\n\n');
    updateMailto();
    copyStatus.textContent = '';
    transcript.replaceChildren();
    (Array.isArray(h.transcript) ? h.transcript : []).forEach(function (turn) {
      var li = el('li', 'turn');
      li.appendChild(el('p', 'patient-turn', str(turn.question)));
      renderAnswer(li, turn.answer);
      transcript.appendChild(li);
    });
    list.querySelectorAll('a[data-id]').forEach(function (a) {
      if (a.getAttribute('data-id') === h.handoff_id) a.setAttribute('aria-current', 'true'); else a.removeAttribute('aria-current');
    });
  }

  function updateMailto() {
    if (!current || current.contact_kind !== 'email') { mailto.hidden = true; return; }
    mailto.hidden = false;
    mailto.href = 'mailto:' + current.contact + '?subject=' + encodeURIComponent('Your question to Northside SMP Clinic') +
      '&body=' + encodeURIComponent(draft.value);
  }

  function open(id) {
    if (!id) { detail.hidden = true; current = null; return; }
    say('Opening…');
    S.api('GET', '/api/staff/handoffs/' + encodeURIComponent(id)).then(function (h) {
      say('');
      renderDetail(h);
      heading.focus();
    }, function (e) { say(e.message, true); });
  }

  function setStatus(next) {
    if (!current) return;
    var id = current.handoff_id;
    Object.keys(buttons).forEach(function (k) { buttons[k].disabled = true; });
    S.api('POST', '/api/staff/handoffs/' + encodeURIComponent(id) + '/status', { status: next }).then(function (r) {
      current.status = r.status;
      current.status_by = r.status_by;
      current.status_at = r.status_at;
      renderDetail(current);
      say('Marked ' + (LABELS[r.status] || r.status).toLowerCase() + '.');
      return load();
    }, function (e) { say(e.message, true); }).finally(function () {
      Object.keys(buttons).forEach(function (k) { buttons[k].disabled = false; });
    });
  }

  document.querySelectorAll('.filters .chip').forEach(function (chip) {
    chip.addEventListener('click', function () {
      filter = chip.getAttribute('data-status');
      document.querySelectorAll('.filters .chip').forEach(function (c) { c.setAttribute('aria-pressed', String(c === chip)); });
      load();
    });
  });
  buttons.replied.addEventListener('click', function () { setStatus('replied'); });
  buttons.closed.addEventListener('click', function () { setStatus('closed'); });
  buttons.new.addEventListener('click', function () { setStatus('new'); });
  draft.addEventListener('input', function () { updateMailto(); copyStatus.textContent = ''; });
  document.getElementById('copy').addEventListener('click', function () {
    function done(ok) { copyStatus.textContent = ok ? 'Copied to the clipboard.' : 'Could not copy: select the text and press Ctrl+C.'; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(draft.value).then(function () { done(true); }, function () { done(false); });
    } else {
      draft.select();
      try { done(document.execCommand('copy')); } catch (e) { done(false); }
    }
  });
  window.addEventListener('hashchange', function () { open(decodeURIComponent(location.hash.slice(1))); });

  S.ready.then(function () {
    load().then(function () { if (location.hash.length > 1) open(decodeURIComponent(location.hash.slice(1))); });
  }, function (e) { say(e.message, true); });
})();
