// The readable view of a source: /source?id=<source id>&q=<quote>. Fetches /api/sources/{id} and
// highlights the quoted passage. All text is inserted with textContent, never as HTML.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var id = params.get('id') || '';
  var quote = (params.get('q') || '').trim();
  var status = document.getElementById('status');

  function fail(message) {
    status.textContent = message;
    status.classList.add('error');
  }
  if (!id) { fail('No source was given.'); return; }

  fetch('/api/sources/' + encodeURIComponent(id), { headers: { Accept: 'application/json' } })
    .then(function (r) {
      if (r.status === 404) throw new Error('This source could not be found.');
      if (!r.ok) throw new Error('The source could not be loaded (HTTP ' + r.status + ').');
      return r.json();
    })
    .then(render)
    .catch(function (e) { fail(e && e.message ? e.message : 'The source could not be loaded.'); });

  // The quote's words in order, whitespace between them free (quotes may differ in whitespace only).
  function findQuote(text, q) {
    if (!q) return null;
    var words = q.split(/\s+/).filter(Boolean).map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
    if (!words.length) return null;
    var flags = ['', 'i'];
    for (var i = 0; i < flags.length; i++) {
      var m = new RegExp(words.join('\\s+'), flags[i]).exec(text);
      if (m) return { start: m.index, end: m.index + m[0].length };
    }
    return null;
  }

  function render(src) {
    var title = typeof src.title === 'string' ? src.title : id;
    var text = typeof src.text === 'string' ? src.text : '';
    document.title = title + ' · Source';
    document.getElementById('title').textContent = title;

    var hit = findQuote(text, quote);
    // Paragraphs with their offsets into text, so a highlight can cross paragraph breaks.
    var paras = [], re = /\S[\s\S]*?(?=\n\s*\n|\s*$)/g, m;
    while ((m = re.exec(text))) paras.push({ start: m.index, end: m.index + m[0].length });
    // The first paragraph repeats the title: don't show it twice.
    if (paras.length && text.slice(paras[0].start, paras[0].end).trim() === title.trim() &&
        !(hit && hit.start < paras[0].end)) paras.shift();

    var box = document.getElementById('text');
    var marks = [];
    paras.forEach(function (p) {
      var el = document.createElement('p');
      var a = p.start, b = p.end;
      if (hit && hit.start < b && hit.end > a) {
        var s = Math.max(a, hit.start), e = Math.min(b, hit.end);
        if (s > a) el.appendChild(document.createTextNode(text.slice(a, s)));
        var mark = document.createElement('mark');
        mark.textContent = text.slice(s, e);
        mark.id = 'hl-' + marks.length;
        el.appendChild(mark);
        marks.push(mark);
        if (e < b) el.appendChild(document.createTextNode(text.slice(e, b)));
      } else {
        el.textContent = text.slice(a, b);
      }
      box.appendChild(el);
    });

    status.textContent = '';
    status.hidden = true;
    document.getElementById('doc').hidden = false;
    if (marks.length) {
      document.getElementById('found').hidden = false;
      marks[0].tabIndex = -1;
      marks[0].scrollIntoView({ block: 'center' });
      marks[0].focus({ preventScroll: true });
    } else {
      if (quote) {
        document.getElementById('missing').hidden = false;
        document.getElementById('missing-quote').textContent = quote;
      }
      document.getElementById('doc').focus();
    }
  }
})();
