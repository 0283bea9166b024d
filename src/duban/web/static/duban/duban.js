// Draws the charts whose figures the page embeds as JSON, and sorts tables by a click on their heading.
(function () {
  "use strict";
  var source = document.getElementById("figures");
  if (source && window.Plotly) {
    var figures = JSON.parse(source.textContent);
    document.querySelectorAll("[data-figure]").forEach(function (node) {
      var figure = figures[node.getAttribute("data-figure")];
      if (figure) {
        window.Plotly.newPlot(node, figure.data, figure.layout, { displaylogo: false, responsive: true });
      }
    });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (heading, column) {
      heading.setAttribute("tabindex", "0");
      var ascending = true;
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-sort") || a.cells[column].textContent.trim();
          var y = b.cells[column].getAttribute("data-sort") || b.cells[column].textContent.trim();
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, "zh-Hans-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        ascending = !ascending;
      }
      heading.addEventListener("click", sort);
      heading.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
    });
  });
})();
