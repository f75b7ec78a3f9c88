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

// Table forms: 添加一行 and 删除 in place (without script they are the form's own buttons, and
// the page comes back with the rows as typed). A row added is a copy of the last one, emptied.
(function () {
  function clear(row) {
    Array.prototype.forEach.call(row.querySelectorAll('input'), function (i) { i.value = ''; });
    Array.prototype.forEach.call(row.querySelectorAll('select'), function (s) { s.selectedIndex = 0; });
    Array.prototype.forEach.call(row.querySelectorAll('.invalid'), function (c) { c.classList.remove('invalid'); });
    Array.prototype.forEach.call(row.querySelectorAll('.err'), function (m) { m.parentNode.removeChild(m); });
  }
  function renumber(body) {
    for (var i = 0; i < body.rows.length; i++) {
      var no = body.rows[i].querySelector('.row-no');
      if (no) no.textContent = String(i + 1);
      var d = body.rows[i].querySelector('[data-drop-row]');
      if (d) d.value = d.value.replace(/\.\d+$/, '.' + i);
    }
  }
  document.addEventListener('click', function (e) {
    if (!e.target.closest) return;
    var add = e.target.closest('[data-add-row]');
    var drop = e.target.closest('[data-drop-row]');
    var table = (add || drop) ? (add || drop).closest('table') : null;
    if (!table || !table.tBodies.length) return;
    var body = table.tBodies[0];
    e.preventDefault();
    if (add) {
      var last = body.rows[body.rows.length - 1];
      if (!last) return;
      var row = last.cloneNode(true);
      clear(row);
      body.appendChild(row);
      renumber(body);
      var first = row.querySelector('input, select');
      if (first) first.focus();
    } else {
      var tr = drop.closest('tr');
      if (body.rows.length > 1) body.removeChild(tr); else clear(tr);
      renumber(body);
    }
  });
})();

// The working-day calendar: a click on a day is sent in the background and the month grids
// and the status line are redrawn from the page the server answers (without script the click
// submits the form and the page comes back at the month).
(function () {
  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('#cal-year button[name="day"]') : null;
    if (!b || !b.form || !window.fetch || !window.FormData || !window.DOMParser || !window.URLSearchParams) return;
    e.preventDefault();
    var data = new FormData(b.form);
    data.append('day', b.value);
    fetch(b.form.action, { method: 'POST', body: new URLSearchParams(data), credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        ['cal-year', 'cal-status'].forEach(function (id) {
          var fresh = doc.getElementById(id);
          var old = document.getElementById(id);
          if (fresh && old) old.parentNode.replaceChild(document.importNode(fresh, true), old);
        });
        var again = document.querySelector('#cal-year button[name="day"][value="' + b.value + '"]');
        if (again) again.focus();
      })
      .catch(function () { if (b.form.requestSubmit) b.form.requestSubmit(b); });
  });
})();
