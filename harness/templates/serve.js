// Polls /api/status; after an edit is re-evaluated, refreshes the Live panel in place (or says so
// in the header on other pages, where a reload would lose what the analyst is looking at).
(function(){
  var generation = document.body.dataset.generation;
  function tick(){
    fetch('/api/status').then(function(r){ return r.json(); }).then(function(s){
      if (String(s.generation) === generation) { return; }
      generation = String(s.generation);
      var panel = document.getElementById('live-panel');
      var status = document.getElementById('status');
      status.textContent = 'evaluation #' + s.evaluation + ': ' + s.scenarios + ' scenarios, ' + s.passed + ' passed' +
        (s.problems ? ', ' + s.problems + ' load problems' : '') + (panel ? '' : ' (changed: reload)');
      if (panel) {
        fetch('/live/panel').then(function(r){ return r.text(); }).then(function(html){
          panel.outerHTML = html;
          document.body.dataset.generation = generation;
        });
      } else {
        document.body.dataset.generation = generation;
      }
    }).catch(function(){}).then(function(){ setTimeout(tick, 700); });
  }
  setTimeout(tick, 700);
  document.querySelectorAll('form.autosubmit select').forEach(function(select){
    select.addEventListener('change', function(){ select.form.submit(); });
  });
})();
