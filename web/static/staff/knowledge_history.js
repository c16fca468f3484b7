// Every publish, newest first, each with a way back: restoring publishes the knowledge as it was
// before it, so a change that went wrong is undone in one step (and recorded like any publish).
// The button asks once more before it restores.
(function () {
  'use strict';

  var K = window.citedKnowledge;
  var S = window.citedStaff;
  var el = S.el;
  var $ = K.$, str = K.str, say = K.say, fail = K.fail;
  var API = K.API;

  function loadHistory() {
    return S.api('GET', API + 'history').then(function (h) {
      var list = $('history');
      list.replaceChildren();
      (h.publishes || []).forEach(function (p) {
        var li = el('li', 'history-item');
        li.setAttribute('data-publish', p.publish_id);
        var when = typeof p.at === 'number' ? S.formatTime(p.at) : str(p.at);
        li.appendChild(el('p', null, '#' + p.publish_id + ' · ' + (p.restored_from ? 'Restored (undoing #' + p.restored_from + ')' : 'Published') +
          ' by ' + str(p.by) + ' · ' + when));
        li.appendChild(K.changeList(Array.isArray(p.summary) ? p.summary : []));
        var btn = el('button', 'btn small', 'Restore as before this');
        btn.type = 'button';
        var armed = false;
        btn.addEventListener('click', function () {
          if (!armed) { armed = true; btn.textContent = 'Yes, restore: undo this publish'; return; }
          btn.disabled = true;
          S.api('POST', API + 'history/' + p.publish_id + '/restore', {}).then(function () {
            say('Restored: the knowledge is as it was before that publish.');
            K.loadFacts();
            loadHistory();
          }, function (e) { btn.disabled = false; fail(e); });
        });
        li.appendChild(btn);
        list.appendChild(li);
      });
      if (!list.childElementCount) list.appendChild(el('li', 'help', 'Nothing published from here yet.'));
    }, fail);
  }

  K.loadHistory = loadHistory;
})();
