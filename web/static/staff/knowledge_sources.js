// Adding one of the clinic's own pages as a source, into the draft: its text is fixed once added
// (its id is a digest of it) so that every quote of it stays checkable; a new version of a page
// is a new source, and the facts quoting the old one are listed for review.
(function () {
  'use strict';

  var K = window.citedKnowledge;
  var S = window.citedStaff;
  var el = S.el;
  var $ = K.$;
  var API = K.API;
  var state = K.state;

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(String(r.result)); };
      r.onerror = function () { reject(new Error('The file could not be read.')); };
      r.readAsText(file);
    });
  }

  function addSource(e) {
    e.preventDefault();
    document.querySelectorAll('#source-form .field-error').forEach(function (p) { p.textContent = ''; });
    document.querySelectorAll('#source-form [aria-invalid]').forEach(function (n) { n.removeAttribute('aria-invalid'); });
    var title = $('s-title').value.trim();
    var text = $('s-text').value;
    var file = $('s-file').files && $('s-file').files[0];
    var body;
    if (file) {
      if (!/\.(txt|md|markdown|html?|text)$/i.test(file.name)) { sourceError('s-file', 'Choose a .txt, .md or .html file.'); return; }
      body = readFile(file).then(function (content) {
        var b = { file_name: file.name, content: content };
        if (title) b.title = title;
        return b;
      });
    } else {
      if (!title) { sourceError('s-title', 'Give the page a title.'); return; }
      if (!text.trim()) { sourceError('s-text', 'Paste the page’s text, or choose a file.'); return; }
      body = Promise.resolve({ title: title, text: text });
    }
    Promise.all([body, K.ensureDraft()]).then(function (both) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(both[1].draft_id) + '/sources', both[0]);
    }).then(function (r) {
      K.rememberDraft(r);
      var s = r.source;
      state.sources[s.id] = { id: s.id, title: s.title, text: s.text };
      var out = $('source-result');
      out.replaceChildren();
      out.className = 'notice';
      out.appendChild(el('p', null, '“' + s.title + '” is in your draft. Quote it in a fact: it is in the list of sources of every quote.'));
      if ((r.review || []).length) {
        out.appendChild(el('p', null, 'These facts quote an older version of this page; check them:'));
        var ul = el('ul');
        r.review.forEach(function (x) { ul.appendChild(el('li', null, x.label + ' (' + x.fact + ')')); });
        out.appendChild(ul);
      }
      var write = el('button', 'btn small', 'Write a fact quoting it');
      write.type = 'button';
      write.addEventListener('click', function () {
        K.openEditor({ topic: 'general', questions: state.teach ? [state.teach] : [], citations: [{ source: s.id, quote: '' }], clinic: true }, true);
      });
      out.appendChild(write);
      out.hidden = false;
      $('source-form').reset();
      document.querySelectorAll('.c-source').forEach(function (sel) { K.fillSources(sel, sel.value); });
    }, function (x) { sourceError(file ? 's-file' : 's-text', x.message); });
  }

  // Under the source form's field it concerns (what the server says of a file, under the file).
  function sourceError(field, message) {
    $(field === 's-file' ? 'err-source' : 'err-' + field).textContent = message;
    $(field).setAttribute('aria-invalid', 'true');
  }

  K.addSource = addSource;
})();
