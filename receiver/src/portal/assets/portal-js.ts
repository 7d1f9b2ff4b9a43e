/**
 * Progressive enhancement, served as /admin/assets/portal.js: copy buttons, confirmation of
 * destructive forms and the live activity feed. Every page works without it.
 */
export const PORTAL_JS = String.raw`
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) return;
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    var text = target.textContent || '';
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute('data-copied') || label;
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(target); });
    } else {
      selectText(target);
    }
  });
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var message = form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });
  var feed = document.querySelector('[data-live-feed]');
  if (feed) {
    var url = feed.getAttribute('data-live-feed');
    var poll = function () {
      var after = feed.getAttribute('data-after') || '0';
      fetch(url + (url.indexOf('?') >= 0 ? '&' : '?') + 'after=' + encodeURIComponent(after), { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          var latest = response.headers.get('x-activity-after');
          return response.text().then(function (text) { return { text: text, latest: latest }; });
        })
        .then(function (result) {
          if (result.text.trim() !== '') {
            var empty = feed.querySelector('[data-empty]');
            if (empty) empty.remove();
            feed.insertAdjacentHTML('afterbegin', result.text);
          }
          if (result.latest) feed.setAttribute('data-after', result.latest);
        })
        .catch(function () { /* the next poll retries */ })
        .then(function () { setTimeout(poll, Number(feed.getAttribute('data-interval') || '3000')); });
    };
    setTimeout(poll, Number(feed.getAttribute('data-interval') || '3000'));
  }
})();
`;
