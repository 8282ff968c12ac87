/* A list table marked .table-cards becomes one card per row below 768 px (app.css). Each cell
 * of a card names its column from data-label; where the template gives none, this copies the
 * column's header text, so a table needs only the class. The first cell is the card's title
 * and keeps no label. */
(function () {
  "use strict";
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    // What a header shows: without a sort arrow, and without the text only screen readers
    // get (a column of buttons has a hidden header, and its cards no label).
    var headers = Array.prototype.map.call(
      table.querySelectorAll("thead tr:first-child > *"),
      function (cell) {
        var shown = cell.cloneNode(true);
        shown.querySelectorAll(".visually-hidden, [aria-hidden=true]").forEach(function (hidden) {
          hidden.remove();
        });
        return shown.textContent.trim();
      }
    );
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (index === 0 || cell.colSpan > 1 || cell.hasAttribute("data-label")) { return; }
        if (headers[index]) { cell.setAttribute("data-label", headers[index]); }
      });
    });
  });
})();
