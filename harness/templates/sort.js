// Sortable tables (the report and harness serve): click a heading; numbers sort as numbers.
document.querySelectorAll('table.sortable th').forEach(function(th){
  var index = th.cellIndex;  // the column within its own table
  th.addEventListener('click', function(){
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows), asc = th.dataset.dir !== 'asc';
    rows.sort(function(a, b){
      var x = a.cells[index].dataset.v || a.cells[index].textContent;
      var y = b.cells[index].dataset.v || b.cells[index].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    th.dataset.dir = asc ? 'asc' : 'desc';
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
