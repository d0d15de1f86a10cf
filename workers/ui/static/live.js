// The live page: rows from the dashboard's SSE stream. Text only (textContent), never HTML.
(function () {
  "use strict";
  var table = document.querySelector("table.live");
  var rows = document.getElementById("live-rows");
  var status = document.getElementById("live-status");
  var prefix = table.getAttribute("data-prefix");

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
  }

  function add(kind, story, actors, claim, speaker, negated) {
    var row = document.createElement("tr");
    row.className = "live-" + kind + (negated ? " negated" : "");
    cell(row, new Date().toLocaleTimeString());
    cell(row, kind);
    cell(row, story.title || "", story.id ? prefix + "/stories/" + story.id : null);
    cell(row, actors.join(", "));
    cell(row, claim);
    cell(row, speaker || "");
    cell(row, negated ? "negated" : "");
    rows.insertBefore(row, rows.firstChild);
  }

  function text(part) {
    return part ? part.text || part.id || "" : "";
  }

  var source = new EventSource(table.getAttribute("data-events"));
  source.onopen = function () {
    status.textContent = "connected";
    status.setAttribute("data-state", "open");
  };
  source.onerror = function () {
    status.textContent = "reconnecting…";
    status.setAttribute("data-state", "error");
  };
  source.addEventListener("claim", function (e) {
    var c = JSON.parse(e.data);
    var actors = [c.subject, c.object].filter(Boolean);
    add("claim", { id: c.story_id, title: c.title }, actors, c.summary, c.speaker, c.negated);
  });
  source.addEventListener("alert", function (e) {
    var p = JSON.parse(e.data);
    var story = p.story || {};
    var actors = (p.actors || []).map(text);
    var claims = p.claims || [];
    var first = claims[0];
    var summary = claims.map(function (c) {
      return [text(c.subject), (c.negated ? "not " : "") + c.predicate, text(c.object)].join(" ");
    }).join("; ");
    add(p.kind || "alert", { id: story.id, title: story.title || p.summary }, actors,
        summary || p.summary || "", first ? text(first.speaker) : "", !!(first && first.negated));
  });
})();
