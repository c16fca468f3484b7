// The staff workspace's email page (/staff): POST the pasted email to /api/reply and show the suggested reply: the
// draft in an editable box, the questions found (each with its answer, citations and status)
// and what staff must answer themselves. Every piece of server or patient text goes in with
// textContent; nothing is ever parsed as HTML.
(function () {
  'use strict';

  var MAX_EMAIL_BYTES = 1000000;  // the server refuses an email of 1 MB or more

  var form = document.getElementById('ask');
  var email = document.getElementById('email');
  var draftButton = document.getElementById('draft-button');
  var clearButton = document.getElementById('clear-button');
  var status = document.getElementById('status');
  var result = document.getElementById('result');
  var heading = document.getElementById('result-heading');
  var urgent = document.getElementById('urgent');
  var draft = document.getElementById('draft');
  var copyButton = document.getElementById('copy');
  var restoreButton = document.getElementById('restore');
  var copyStatus = document.getElementById('copy-status');
  var staffSection = document.getElementById('staff-section');
  var unanswered = document.getElementById('unanswered');
  var noQuestions = document.getElementById('no-questions');
  var cards = document.getElementById('cards');

  var originalDraft = '';
  var busy = false;

  var STATUS_LABELS = {
    answered: 'Answered from sources',
    no_answer: 'For you to answer',
    urgent: 'Urgent',
    smalltalk: 'Small talk'
  };

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle('error', !!isError);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(v) { return typeof v === 'string' ? v : ''; }

  function collapse(s) { return str(s).replace(/\s+/g, ' ').trim(); }

  function byteLength(s) {
    return typeof TextEncoder === 'function' ? new TextEncoder().encode(s).length : unescape(encodeURIComponent(s)).length;
  }

  // The draft numbers its sources across all answers; each answer object numbers its own. This
  // maps an answer's citation to the number the draft gives it, from the draft's source list.
  function draftNumbers(text) {
    var numbers = {};
    var at = text.lastIndexOf('\nSources:\n');
    if (at < 0) return numbers;
    text.slice(at + 10).split('\n').forEach(function (line) {
      var m = /^\[(\d+)\] (.*?): "(.*)"$/.exec(line);
      if (m) numbers[m[2] + '\u0000' + collapse(m[3])] = Number(m[1]);
    });
    return numbers;
  }

  function renderCard(item, numbers) {
    var answer = item && typeof item.answer === 'object' && item.answer ? item.answer : {};
    var state = str(answer.status) || 'no_answer';
    var card = el('article', 'card');
    card.setAttribute('data-status', state);
    if (state === 'urgent') card.classList.add('urgent-card');
    if (state === 'no_answer') card.classList.add('staff-card');

    var head = el('header');
    head.appendChild(el('h4', 'question', str(item.question)));
    var badges = el('div', 'badges');
    badges.appendChild(el('span', 'badge ' + (STATUS_LABELS[state] ? state : 'no_answer'), STATUS_LABELS[state] || state));
    if (answer.conflict === true) badges.appendChild(el('span', 'badge conflict', 'Sources disagree'));
    head.appendChild(badges);
    card.appendChild(head);

    var citations = Array.isArray(answer.citations) ? answer.citations : [];
    var local = {};
    citations.forEach(function (c) {
      var n = numbers[str(c.title) + '\u0000' + collapse(c.quote)];
      if (typeof c.n === 'number' && n) local[c.n] = n;
    });
    var text = state === 'no_answer'
      ? 'The sources don\'t cover this. It is listed in the draft for you to answer personally.'
      : str(answer.text).replace(/\[(\d+)\]/g, function (all, k) { return local[k] ? '[' + local[k] + ']' : all; });
    card.appendChild(el('p', 'answer', text));

    if (citations.length) {
      var list = el('ol', 'citations');
      list.setAttribute('aria-label', 'Sources quoted');
      citations.forEach(function (c) {
        var li = el('li', 'citation');
        var n = local[c.n] || c.n;
        var top = el('div', 'cite-head');
        top.appendChild(el('span', 'cite-n', '[' + n + ']'));
        top.appendChild(el('span', 'cite-title', str(c.title)));
        if (str(c.source)) {
          var link = el('a', null, 'Read the source');
          link.href = '/source?' + new URLSearchParams({ id: str(c.source), q: str(c.quote) }).toString();
          link.target = '_blank';
          link.rel = 'noopener';
          top.appendChild(link);
        }
        li.appendChild(top);
        li.appendChild(el('blockquote', 'quote', str(c.quote)));
        list.appendChild(li);
      });
      card.appendChild(list);
    }
    return card;
  }

  function render(reply) {
    var questions = Array.isArray(reply.questions) ? reply.questions : [];
    var open = Array.isArray(reply.unanswered) ? reply.unanswered : [];
    originalDraft = str(reply.draft);
    draft.value = originalDraft;
    restoreButton.disabled = true;
    copyStatus.textContent = '';
    urgent.hidden = reply.urgent !== true;

    unanswered.replaceChildren();
    open.forEach(function (q) { unanswered.appendChild(el('li', null, str(q))); });
    staffSection.hidden = open.length === 0;

    var numbers = draftNumbers(originalDraft);
    cards.replaceChildren();
    questions.forEach(function (item) { cards.appendChild(renderCard(item || {}, numbers)); });
    noQuestions.hidden = questions.length > 0;

    var answered = questions.filter(function (q) { return q && q.answer && q.answer.status === 'answered'; }).length;
    result.hidden = false;
    say(questions.length === 1 ? 'Found 1 question' : 'Found ' + questions.length + ' questions');
    if (questions.length) {
      say(status.textContent + ': ' + answered + ' answered from the sources, ' + open.length + ' for you to answer' +
          (reply.urgent === true ? ', and symptoms that need attention now.' : '.'));
    } else {
      say('No questions found: read the email and reply personally.');
    }
    heading.focus();
  }

  function submit() {
    if (busy) return;
    var text = email.value;
    if (!text.trim()) {
      say('Paste the patient\'s email first.', true);
      email.focus();
      return;
    }
    if (byteLength(text) >= MAX_EMAIL_BYTES) {
      say('That email is too large (1 MB or more). Paste only the patient\'s message.', true);
      return;
    }
    busy = true;
    draftButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    say('Drafting a reply…');
    window.citedStaff.ready
      .then(function () { return window.citedStaff.api('POST', '/api/reply', { text: text }); })
      .then(function (body) {
        if (!body || body.type !== 'reply') throw new Error('The server sent something other than a suggested reply.');
        return body;
      }, function (e) {
        if (e && e.status === 413) throw new Error('That email is too large to draft a reply for: ' + e.message);
        if (e && e.status === 429) throw new Error('Too many drafts at once; wait a moment and try again.');
        throw new Error(e && e.message ? 'Could not draft a reply: ' + e.message : '');
      })
      .then(render)
      .catch(function (e) {
        var message = e && e.message ? e.message : '';
        if (!message || /Failed to fetch|NetworkError/i.test(message)) message = 'Could not reach the server. Check your connection and try again.';
        say(message, true);
      })
      .finally(function () {
        busy = false;
        draftButton.disabled = false;
        form.removeAttribute('aria-busy');
      });
  }

  function copied(ok) {
    copyStatus.textContent = ok ? 'Copied to the clipboard.' : 'Could not copy: select the draft and press Ctrl+C.';
  }

  function copyDraft() {
    var text = draft.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(true); }, function () { copied(copySelected()); });
    } else {
      copied(copySelected());
    }
  }

  // For pages served over plain HTTP from another host, where the Clipboard API is unavailable.
  function copySelected() {
    draft.focus();
    draft.select();
    try { return document.execCommand('copy'); } catch (e) { return false; }
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit();
  });
  email.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  });
  clearButton.addEventListener('click', function () {
    email.value = '';
    result.hidden = true;
    say('');
    email.focus();
  });
  copyButton.addEventListener('click', copyDraft);
  draft.addEventListener('input', function () {
    restoreButton.disabled = draft.value === originalDraft;
    copyStatus.textContent = '';
  });
  restoreButton.addEventListener('click', function () {
    draft.value = originalDraft;
    restoreButton.disabled = true;
    draft.focus();
  });
})();
