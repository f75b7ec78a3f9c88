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
