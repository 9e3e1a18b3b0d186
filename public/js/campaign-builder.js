// Campaign builder: small conveniences on top of a form that works without this script.
(function () {
  'use strict';
  var form = document.getElementById('builder');
  if (!form) return;
  // Anonymous follows the audience (internal: ticked, external: not) until the admin ticks it.
  var anonymous = document.getElementById('anonymous');
  var touched = false;
  if (anonymous) anonymous.addEventListener('change', function () { touched = true; });
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
  refresh.textContent = 'Save draft';
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
  // Keep the page where the admin was after a step: the server redirects to #q<n>.
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
