(function () {
  var notice = document.querySelector('.cookie-notice');
  if (notice && localStorage.getItem('cookie-notice') === 'ok') { notice.hidden = true; }
  var btn = document.querySelector('[data-cookie-accept]');
  if (btn) { btn.addEventListener('click', function () { localStorage.setItem('cookie-notice', 'ok'); notice.hidden = true; }); }
  var toggle = document.querySelector('.main-nav__toggle');
  if (toggle) { toggle.addEventListener('click', function () {
    toggle.setAttribute('aria-expanded', toggle.getAttribute('aria-expanded') === 'true' ? 'false' : 'true'); }); }
})();
