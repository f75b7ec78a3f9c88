// Small enhancements the pages work without. No page has inline script or event handlers
// (the Content-Security-Policy allows scripts from this origin only), so they live here.
document.addEventListener('click', function (e) {
  var a = e.target.closest ? e.target.closest('a[data-back]') : null;
  if (a && window.history.length > 1) {
    e.preventDefault();
    window.history.back();
  }
});
document.addEventListener('click', function (e) {
  var b = e.target.closest ? e.target.closest('[data-print]') : null;
  if (b) {
    e.preventDefault();
    window.print();
  }
});

// Pickers: an input with data-suggest fills its datalist from the server as the user types
// (the form works without it: the server also resolves a typed name or code).
(function () {
  var timer = null;
  document.addEventListener('input', function (e) {
    var input = e.target;
    if (!input.getAttribute || !input.getAttribute('data-suggest')) return;
    var list = input.list;
    if (!list) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2) return;
      fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (names) {
          while (list.firstChild) list.removeChild(list.firstChild);
          names.forEach(function (n) {
            var o = document.createElement('option');
            o.value = n;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 250);
  });
})();
