(function(){
  // The failing scenarios' filter: free text over id, ticket, labels and rules, and the wrong field.
  var text = document.getElementById('failing-text'), field = document.getElementById('failing-field');
  var table = document.getElementById('failing-table'), count = document.getElementById('failing-count');
  if (!table) { return; }
  function apply(){
    var q = text.value.trim().toLowerCase(), f = field.value, shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function(row){
      var ok = (!q || row.dataset.search.indexOf(q) >= 0) && (!f || row.dataset.failed.split(' ').indexOf(f) >= 0);
      row.hidden = !ok;
      shown += ok ? 1 : 0;
    });
    count.textContent = shown + ' shown';
  }
  text.addEventListener('input', apply);
  field.addEventListener('change', apply);
})();
window.addEventListener('load', function(){
  var images = Array.prototype.slice.call(document.images);
  document.body.dataset.imagesOk = String(images.every(function(i){ return i.complete && i.naturalWidth > 0; }));
  document.body.dataset.images = String(images.length);
});
