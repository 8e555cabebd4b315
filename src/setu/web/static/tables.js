// Tables, progressively enhanced: each scrolls inside its own box on a narrow screen, sorts by any column
// (a button in each column header; aria-sort says the order) and downloads as CSV: the cells as shown, then
// the page's sources with their editions and licences (#page-sources, written by the server).
"use strict";
(function () {
  // a cell's data-value (the full figure behind a compact one) sorts and downloads in place of its text
  function cellText(cell) {
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  }

  function cellValue(cell) {
    var text = cellText(cell);
    var number = text.replace(/[,\s%]|USD|\u2009/g, "");
    if (/^[-\u2212]?\d+(\.\d+)?$/.test(number)) return { number: parseFloat(number.replace("\u2212", "-")), text: text };
    return { number: null, text: text };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) return a.number - b.number;
    if (a.number !== null) return -1; // figures before blanks and words
    if (b.number !== null) return 1;
    return a.text.localeCompare(b.text);
  }

  function sortBy(table, column, button) {
    var header = button.closest("th");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.cells.length > column; });
      rows.sort(function (x, y) {
        var order = compare(cellValue(x.cells[column]), cellValue(y.cells[column]));
        return ascending ? order : -order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1 || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.setAttribute("title", "Sort by " + th.textContent.trim());
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, button); });
    });
  }

  function quote(text) {
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvOf(table) {
    var sources = JSON.parse((document.getElementById("page-sources") || { textContent: "[]" }).textContent);
    var lines = Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, function (c) { return quote(cellText(c)); }).join(",");
    });
    var caption = table.caption ? table.caption.textContent.trim() : document.title;
    var notes = ["", quote("table: " + caption), quote("page: " + window.location.href)];
    sources.forEach(function (s) {
      notes.push(quote("source: " + s.source) + "," + quote("edition: " + s.edition) + "," + quote("licence: " + s.licence));
    });
    return lines.concat(notes).join("\n") + "\n";
  }

  function addDownload(table, n) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "download";
    button.textContent = "Download the table (CSV)";
    button.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([csvOf(table)], { type: "text/csv;charset=utf-8" }));
      link.download = (table.id || document.title.replace(/[^A-Za-z0-9]+/g, "-") + "-table-" + (n + 1)) + ".csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    return button;
  }

  function enhance(table, n) {
    var box = document.createElement("div");
    box.className = "table-box";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", table.caption ? table.caption.textContent.trim() : "table " + (n + 1));
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    makeSortable(table);
    box.parentNode.insertBefore(addDownload(table, n), box.nextSibling);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("main table").forEach(enhance);
  });
})();
