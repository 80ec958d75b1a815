// Gemeente Bloemendijk site script
document.addEventListener('DOMContentLoaded', function () {
  var cc = document.getElementById('cookieconsent');
  if (cc && document.cookie.indexOf('cc_ok=1') >= 0) { cc.style.display = 'none'; }
  document.querySelectorAll('.cc-btn').forEach(function (b) {
    b.addEventListener('click', function () { document.cookie = 'cc_ok=1; path=/'; cc.style.display = 'none'; });
  });
});
