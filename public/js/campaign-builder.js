// Campaign builder: small conveniences on top of a form that works without this script.
(function () {
  'use strict';
  var form = document.getElementById('builder');
  if (!form) return;
  // Anonymous follows the audience (internal: ticked, external: not) until the admin ticks it.
  var anonymous = document.getElementById('anonymous');
  var touched = false;
  if (anonymous)
    anonymous.addEventListener('change', function () {
      touched = true;
    });
  form.querySelectorAll('[data-builder-audience]').forEach(function (radio) {
    radio.addEventListener('change', function () {
      if (anonymous && !touched) anonymous.checked = radio.value === 'internal';
    });
  });
  // A changed kind of question (e.g. to "choice") needs the options rows: save to show them.
  // Only a saved draft re-renders in place; a new campaign is created by its first step.
  if (!/\/edit$/.test(form.getAttribute('action') || '')) return;
  var refresh = document.createElement('button');
  refresh.type = 'submit';
  refresh.name = 'op';
  refresh.value = 'refresh';
  refresh.hidden = true;
  // Its name comes from the page (data-save-label), in the page's language.
  refresh.textContent = form.getAttribute('data-save-label') || '';
  form.appendChild(refresh);
  var resubmit = function () {
    if (form.requestSubmit) form.requestSubmit(refresh);
    else refresh.click();
  };
  form.querySelectorAll('[data-builder-type]').forEach(function (select) {
    var was = select.value;
    select.addEventListener('change', function () {
      if (select.name === 'qType' && (select.value === 'choice' || was === 'choice')) resubmit();
      was = select.value;
    });
  });
  // Another set of languages: the page shows a text field per language once saved.
  form.querySelectorAll('input[name="languages"]').forEach(function (box) {
    box.addEventListener('change', function () {
      if (form.querySelectorAll('input[name="languages"]:checked').length > 0) resubmit();
    });
  });
  // Errors first; else the result of the step, shown in the question the server redirected to
  // (#q<n>), gets the focus so that a screen reader reads it where the admin is.
  var summary = document.getElementById('error-summary');
  var notice = document.getElementById('step-notice');
  if (summary) summary.focus();
  else if (notice) {
    // After the browser has scrolled to the fragment, which would move the focus to the page.
    var focusNotice = function () {
      setTimeout(function () {
        notice.focus({ preventScroll: true });
      }, 0);
    };
    if (document.readyState === 'complete') focusNotice();
    else window.addEventListener('load', focusNotice);
  }
})();
