/**
 * The page's only script: makes the tables sortable by clicking a column header. The tables
 * are complete and in the report's order without it; the buttons exist only when it runs.
 * Plain ES2017 so every current browser runs it; it is hashed into the page's CSP.
 *
 * It leaves two marks a test (or a reader with the developer tools open) can see without a
 * debugger: `data-enhanced="sortable"` on each table it made sortable, and
 * `data-script-errors` on the root element with the message of any error it or the page hit.
 */
export const SORT_SCRIPT = `(function () {
  'use strict';
  var root = document.documentElement;
  function note(message) {
    var before = root.getAttribute('data-script-errors');
    root.setAttribute('data-script-errors', (before ? before + ' | ' : '') + message);
  }
  window.addEventListener('error', function (event) {
    note(String(event.message || 'error'));
  });
  try {
    var tables = document.querySelectorAll('table[data-sortable]');
    Array.prototype.forEach.call(tables, enhance);
  } catch (error) {
    note(String(error && error.message ? error.message : error));
  }
  function enhance(table) {
    var headers = table.querySelectorAll('thead th[data-sort]');
    Array.prototype.forEach.call(headers, function (th) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.getAttribute('data-sort') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[index]);
          var y = key(b.cells[index]);
          // Empty cells stay last and ties keep the report's order, whichever the direction.
          if (x === '' || y === '') {
            if (x !== y) return x === '' ? 1 : -1;
          } else {
            var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
            if (order !== 0 && !isNaN(order)) return ascending ? order : -order;
          }
          return Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    table.setAttribute('data-enhanced', 'sortable');
  }
  function key(cell) {
    if (!cell) return '';
    var value = cell.getAttribute('data-sort-value');
    return value !== null ? value : cell.textContent.trim();
  }
})();
`;
